package dev.aioops.tck;

import dev.aioops.spi.AioChunkHandler;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Receive streams ({@link dev.aioops.spi.AioReceiveOperations}): chunks in order and complete, one end per stream
 * (end of stream, reset, cancel, handle close, instance close), the pause when the library keeps every buffer and
 * the resumption after releases, many streams at once, misuse.
 */
public abstract class ReceiveContract extends AioContract {

    private static final int SMALL_BUFFERS = 4;
    private static final int SMALL_SIZE = 1024;

    /** For subclasses. */
    protected ReceiveContract() {
    }

    /** Small receive buffers, so that a test can hold all of them. */
    @Override
    protected AioConfig config() {
        return AioConfig.builder().buffers(8, 64 * 1024).receiveBuffers(SMALL_BUFFERS, SMALL_SIZE).build();
    }

    /** Records a stream: the bytes (copied), the ends, chunks after the end; keeps chunks when asked to. */
    protected static final class Collector implements AioChunkHandler<Object> {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CountDownLatch ended = new CountDownLatch(1);
        private final AtomicInteger ends = new AtomicInteger();
        private final AtomicInteger chunksAfterEnd = new AtomicInteger();
        private final AtomicLong largestChunk = new AtomicLong();
        private final boolean keep;
        /** Kept chunks, for the test thread to release. */
        final BlockingQueue<Long> kept = new LinkedBlockingQueue<>();
        private volatile int result = Integer.MIN_VALUE;

        Collector(boolean keep) {
            this.keep = keep;
        }

        @Override
        public boolean chunk(Object attachment, MemorySegment data, long chunk) {
            if (ends.get() > 0) {
                chunksAfterEnd.incrementAndGet();
            }
            assertThat(data.byteSize()).isPositive();
            largestChunk.accumulateAndGet(data.byteSize(), Math::max);
            synchronized (bytes) {
                bytes.writeBytes(data.toArray(ValueLayout.JAVA_BYTE));
            }
            if (keep) {
                kept.add(chunk);
            }
            return keep;
        }

        @Override
        public void end(int r, Object attachment) {
            result = r;
            ends.incrementAndGet();
            ended.countDown();
        }

        int awaitEnd() {
            try {
                assertThat(ended.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the stream ended").isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertThat(ends.get()).as("ends").isEqualTo(1);
            assertThat(chunksAfterEnd.get()).as("chunks after the end").isZero();
            return result;
        }

        byte[] bytes() {
            synchronized (bytes) {
                return bytes.toByteArray();
            }
        }

        int size() {
            synchronized (bytes) {
                return bytes.size();
            }
        }
    }

    private record ServerSocketPair(Socket client, int server) {
    }

    private ServerSocketPair jdkClient() throws IOException {
        int l = listen();
        AioCompletionRecorder<Object> accepted = recorder();
        ops.accept(l, null, accepted);
        Socket client = new Socket(LOOPBACK, addressOf(l).getPort());
        int server = accepted.await();
        assertThat(server).as(AioCompletionRecorder.describe(server)).isGreaterThanOrEqualTo(0);
        assertThat(call(c -> ops.close(l, null, c))).isZero();
        return new ServerSocketPair(client, server);
    }

    private static byte[] patternBytes(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = patternByte(i, seed);
        }
        return b;
    }

    @Test
    @Timeout(120)
    void megabytesArriveInOrderAndCompleteThenEndOfStreamOnce() throws IOException {
        ServerSocketPair p = jdkClient();
        Collector c = new Collector(false);
        ops.receiveChunks(p.server(), null, c);
        byte[] data = patternBytes(4 << 20, 7);
        try (Socket client = p.client(); OutputStream out = client.getOutputStream()) {
            for (int at = 0, step = 1; at < data.length; at += step, step = step * 7 % 65_521 + 1) {
                out.write(data, at, Math.min(step, data.length - at));
            }
        }
        assertThat(c.awaitEnd()).isZero();
        assertThat(c.bytes()).isEqualTo(data);
        assertThat(c.largestChunk.get()).isLessThanOrEqualTo(SMALL_SIZE);
    }

    @Test
    @Timeout(60)
    void peerResetEndsTheStreamWithEconnresetOnce() throws IOException {
        ServerSocketPair p = jdkClient();
        Collector c = new Collector(false);
        ops.receiveChunks(p.server(), null, c);
        p.client().getOutputStream().write(patternBytes(100, 1));
        p.client().setSoLinger(true, 0);
        p.client().close();
        assertThat(c.awaitEnd()).isEqualTo(-AioErrno.ECONNRESET);
    }

    @Test
    @Timeout(60)
    void cancelEndsTheStreamWithEcanceledOnce() throws IOException {
        ServerSocketPair p = jdkClient();
        try (Socket client = p.client()) {
            Collector c = new Collector(false);
            long token = ops.receiveChunks(p.server(), null, c);
            assertThat(token).isNotZero();
            client.getOutputStream().write(patternBytes(10, 2));
            ops.cancel(token);
            assertThat(c.awaitEnd()).isEqualTo(-AioErrno.ECANCELED);
            ops.cancel(token);
            assertThat(c.bytes()).isEqualTo(java.util.Arrays.copyOf(patternBytes(10, 2), c.size()));
            // The socket still works: a later read gets what the stream did not take.
            client.getOutputStream().write(patternBytes(5, 3));
            MemorySegment buf = arena.allocate(64);
            int n = call(k -> ops.read(p.server(), buf, -1, null, k));
            assertThat(n).isPositive();
        }
    }

    @Test
    @Timeout(60)
    void handleCloseEndsTheStreamWithEcanceled() throws IOException {
        ServerSocketPair p = jdkClient();
        try (Socket client = p.client()) {
            Collector c = new Collector(false);
            ops.receiveChunks(p.server(), null, c);
            assertThat(call(k -> ops.close(p.server(), null, k))).isZero();
            assertThat(c.awaitEnd()).isEqualTo(-AioErrno.ECANCELED);
            assertThat(client.isClosed()).isFalse();
        }
    }

    @Test
    @Timeout(60)
    void instanceCloseEndsEveryStreamWithEcanceled() throws IOException {
        ServerSocketPair p = jdkClient();
        ServerSocketPair q = jdkClient();
        try (Socket a = p.client(); Socket b = q.client()) {
            a.setTcpNoDelay(true);
            Collector c = new Collector(false);
            Collector d = new Collector(true);
            ops.receiveChunks(p.server(), null, c);
            ops.receiveChunks(q.server(), null, d);
            b.getOutputStream().write(patternBytes(3 * SMALL_SIZE, 4));
            ops.close();
            assertThat(c.awaitEnd()).isEqualTo(-AioErrno.ECANCELED);
            assertThat(d.awaitEnd()).isEqualTo(-AioErrno.ECANCELED);
            // Kept chunks may be released after the close: nothing happens.
            for (Long chunk : d.kept) {
                ops.releaseChunk(chunk);
            }
        }
    }

    @Test
    @Timeout(120)
    void keptChunksPauseTheStreamWithoutLossAndReleasesResumeIt() throws Exception {
        ServerSocketPair p = jdkClient();
        Collector c = new Collector(true);
        ops.receiveChunks(p.server(), null, c);
        byte[] data = patternBytes(64 * 1024, 5);
        Thread writer = Thread.ofPlatform().start(() -> {
            try (Socket client = p.client(); OutputStream out = client.getOutputStream()) {
                out.write(data);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        List<Long> held = new ArrayList<>();
        held.add(c.kept.poll(WAIT.toSeconds(), TimeUnit.SECONDS));
        // Take chunks until the stream pauses: with every buffer kept, it must stop rather than take more memory.
        for (Long chunk; (chunk = c.kept.poll(300, TimeUnit.MILLISECONDS)) != null; ) {
            held.add(chunk);
        }
        assertThat(held.get(0)).as("a first chunk").isNotNull();
        // The shared buffers, plus, where streams are emulated, the one buffer of this stream's read.
        assertThat(c.size()).as("bytes kept while paused").isLessThanOrEqualTo((SMALL_BUFFERS + 1) * SMALL_SIZE);
        assertThat(c.size()).isLessThan(data.length);
        for (Long chunk : held) {
            ops.releaseChunk(chunk);
        }
        Thread releaser = Thread.ofPlatform().start(() -> {
            try {
                while (true) {
                    Long chunk = c.kept.poll(100, TimeUnit.MILLISECONDS);
                    if (chunk != null) {
                        ops.releaseChunk(chunk);
                    } else if (c.ends.get() > 0 && c.kept.isEmpty()) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(c.awaitEnd()).isZero();
        writer.join();
        releaser.join();
        assertThat(c.bytes()).isEqualTo(data);
        // With nothing left in flight a second release is told apart on every adapter.
        assertThatThrownBy(() -> ops.releaseChunk(held.get(0))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Timeout(180)
    void manyStreamsAtOnceEachReceiveTheirOwnBytes() throws Exception {
        int n = 500;
        int size = 8 * 1024;
        int l = listen();
        List<Socket> clients = new ArrayList<>();
        List<Collector> collectors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            AioCompletionRecorder<Object> accepted = recorder();
            ops.accept(l, null, accepted);
            clients.add(new Socket(LOOPBACK, addressOf(l).getPort()));
            int server = accepted.await();
            assertThat(server).as(AioCompletionRecorder.describe(server)).isGreaterThanOrEqualTo(0);
            Collector c = new Collector(false);
            collectors.add(c);
            ops.receiveChunks(server, null, c);
        }
        for (int i = 0; i < n; i++) {
            try (Socket client = clients.get(i)) {
                client.getOutputStream().write(patternBytes(size, i));
            }
        }
        for (int i = 0; i < n; i++) {
            assertThat(collectors.get(i).awaitEnd()).isZero();
            assertThat(collectors.get(i).bytes()).as("stream %d", i).isEqualTo(patternBytes(size, i));
        }
    }

    @Test
    @Timeout(60)
    void idleStreamsBeyondTheBufferCountDoNotStarveTheBusyOnes() throws Exception {
        int idle = 3 * SMALL_BUFFERS;
        List<ServerSocketPair> idlers = new ArrayList<>();
        try {
            // Started first: on an adapter that holds a buffer per waiting stream, these would take them all.
            for (int i = 0; i < idle; i++) {
                ServerSocketPair p = jdkClient();
                idlers.add(p);
                ops.receiveChunks(p.server(), null, new Collector(false));
            }
            List<ServerSocketPair> busy = new ArrayList<>();
            List<Collector> collectors = new ArrayList<>();
            for (int i = 0; i < SMALL_BUFFERS; i++) {
                ServerSocketPair p = jdkClient();
                busy.add(p);
                Collector c = new Collector(false);
                collectors.add(c);
                ops.receiveChunks(p.server(), null, c);
            }
            for (int i = 0; i < busy.size(); i++) {
                busy.get(i).client().getOutputStream().write(patternBytes(3 * SMALL_SIZE, i));
            }
            for (int i = 0; i < busy.size(); i++) {
                // The clients stay open: only the bytes tell that they arrived.
                long end = System.nanoTime() + WAIT.toNanos();
                while (collectors.get(i).size() < 3 * SMALL_SIZE && System.nanoTime() < end) {
                    Thread.onSpinWait();
                }
                assertThat(collectors.get(i).bytes()).as("busy stream %d", i)
                        .isEqualTo(patternBytes(3 * SMALL_SIZE, i));
            }
            for (ServerSocketPair p : busy) {
                p.client().close();
            }
        } finally {
            for (ServerSocketPair p : idlers) {
                p.client().close();
            }
        }
    }

    @Test
    @Timeout(60)
    void misuseThrowsAndBadHandlesEndWithEbadf() {
        assertThatThrownBy(() -> ops.receiveChunks(0, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.releaseChunk(12345L)).isInstanceOf(IllegalStateException.class);
        Collector c = new Collector(false);
        ops.receiveChunks(0x7fff_0000, null, c);
        assertThat(c.awaitEnd()).isEqualTo(-AioErrno.EBADF);
        ops.close();
        assertThatThrownBy(() -> ops.receiveChunks(0, null, new Collector(false)))
                .isInstanceOf(IllegalStateException.class);
    }
}
