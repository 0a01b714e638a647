package dev.aioops.uring.internal;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioChunkHandler;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.uring.ring.UringLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The io_uring side of receive streams ({@link RingChunkStreams}, {@link ProvidedBufferRing}): served by the kernel
 * here (Linux 6.0+), with incremental consumption where the kernel has it; an exhausted buffer ring parks the
 * stream ({@code -ENOBUFS}) and a release resumes it; a multishot receive the kernel ends while data flows (a CQ
 * too small for the burst) is re-armed with nothing lost; idle streams hold no buffer; the fallback without the
 * opcodes is the emulation.
 */
@Timeout(120)
class UringReceiveStreamTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Copies every chunk; keeps them when asked (the test thread releases them). */
    private static final class Sink implements AioChunkHandler<Object> {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final BlockingQueue<Long> kept = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> end = new CompletableFuture<>();
        final boolean keep;

        Sink(boolean keep) {
            this.keep = keep;
        }

        @Override
        public synchronized boolean chunk(Object attachment, MemorySegment data, long chunk) {
            bytes.writeBytes(data.toArray(ValueLayout.JAVA_BYTE));
            if (keep) {
                kept.add(chunk);
            }
            return keep;
        }

        @Override
        public void end(int result, Object attachment) {
            assertThat(end.complete(result)).as("one end").isTrue();
        }

        synchronized byte[] received() {
            return bytes.toByteArray();
        }
    }

    private record Pair(Socket client, int server) {
    }

    private static int await(AioOperations ops, java.util.function.Function<AioCompletion<Object>, Long> submit)
            throws Exception {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        submit.apply((r, a) -> f.complete(r));
        return f.get(30, TimeUnit.SECONDS);
    }

    private static int listen(AioOperations ops) throws Exception {
        int l = await(ops, c -> ops.listen(new InetSocketAddress(LOOPBACK, 0), 1024, null, c));
        assertThat(l).isGreaterThanOrEqualTo(0);
        return l;
    }

    private static Pair accept(AioOperations ops, int listener) throws Exception {
        CompletableFuture<Integer> accepted = new CompletableFuture<>();
        ops.accept(listener, null, (r, a) -> accepted.complete(r));
        Socket client = new Socket(LOOPBACK, ((InetSocketAddress) ops.localAddress(listener)).getPort());
        int server = accepted.get(30, TimeUnit.SECONDS);
        assertThat(server).isGreaterThanOrEqualTo(0);
        return new Pair(client, server);
    }

    private static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ((i * 31 + seed) % 251);
        }
        return b;
    }

    @Test
    void theKernelServesTheStreamsFromAnIncrementalBufferRing() throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults())) {
            assertThat(ops.supports(AioCapability.PROVIDED_BUFFERS)).isTrue();
            Pair p = accept(ops, listen(ops));
            Sink sink = new Sink(false);
            ops.receiveChunks(p.server(), null, sink);
            byte[] data = pattern(1 << 20, 3);
            try (Socket client = p.client(); OutputStream out = client.getOutputStream()) {
                for (int at = 0; at < data.length; at += 100) {
                    out.write(data, at, Math.min(100, data.length - at));
                }
            }
            assertThat(sink.end.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(sink.received()).isEqualTo(data);
            ProvidedBufferRing ring = ops.loop().operations().chunkStreams().buffers();
            assertThat(ring.incremental()).as("IOU_PBUF_RING_INC on Linux 6.12+").isTrue();
        }
    }

    @Test
    void wholeBuffersWithoutIncrementalConsumptionKeepTheBytesExact() throws Exception {
        System.setProperty(UringReceives.INCREMENTAL_PROPERTY, "false");
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().receiveBuffers(8, 1024).build())) {
            Pair p = accept(ops, listen(ops));
            Sink sink = new Sink(false);
            ops.receiveChunks(p.server(), null, sink);
            byte[] data = pattern(512 * 1024, 4);
            try (Socket client = p.client(); OutputStream out = client.getOutputStream()) {
                out.write(data);
            }
            assertThat(sink.end.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(sink.received()).isEqualTo(data);
            assertThat(ops.loop().operations().chunkStreams().buffers().incremental()).isFalse();
        } finally {
            System.clearProperty(UringReceives.INCREMENTAL_PROPERTY);
        }
    }

    @Test
    void anExhaustedRingParksTheStreamAndReleasesResumeItWithNothingLost() throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().receiveBuffers(2, 1024).build())) {
            Pair p = accept(ops, listen(ops));
            Sink sink = new Sink(true);
            ops.receiveChunks(p.server(), null, sink);
            byte[] data = pattern(256 * 1024, 5);
            Thread writer = Thread.ofPlatform().start(() -> {
                try (Socket client = p.client(); OutputStream out = client.getOutputStream()) {
                    out.write(data);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            RingChunkStreams streams = ops.loop().operations().chunkStreams();
            while (!sink.end.isDone()) {
                Long chunk = sink.kept.poll(200, TimeUnit.MILLISECONDS);
                if (chunk != null) {
                    ops.releaseChunk(chunk);
                }
            }
            writer.join();
            // A chunk kept just before the end is still in the queue; a release from this thread reaches the loop
            // through its inbox, so the count is read there, after them.
            for (Long rest = sink.kept.poll(); rest != null; rest = sink.kept.poll()) {
                ops.releaseChunk(rest);
            }
            CompletableFuture<Integer> queued = new CompletableFuture<>();
            ops.execute(() -> queued.complete(streams.buffers().queued()));
            assertThat(sink.end.get()).isZero();
            assertThat(sink.received()).isEqualTo(data);
            assertThat(streams.parks).as("parks on -ENOBUFS").isPositive();
            assertThat(queued.get(10, TimeUnit.SECONDS)).as("every buffer back in the ring").isEqualTo(2);
        }
    }

    @Test
    void aMultishotTheKernelEndsWhileDataFlowsIsRearmedWithNothingLost() throws Exception {
        // A CQ of 4 entries cannot hold the CQEs of 64 streams receiving at once: the kernel ends multishot
        // receives without IORING_CQE_F_MORE (their last CQE goes to the overflow list).
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().queueDepth(2)
                .receiveBuffers(1024, 4096).build(), 4)) {
            int l = listen(ops);
            List<Pair> pairs = new ArrayList<>();
            List<Sink> sinks = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Pair p = accept(ops, l);
                Sink s = new Sink(false);
                pairs.add(p);
                sinks.add(s);
                ops.receiveChunks(p.server(), null, s);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> writers = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                Pair p = pairs.get(i);
                byte[] data = pattern(64 * 1024, i);
                writers.add(Thread.ofPlatform().start(() -> {
                    try (Socket client = p.client(); OutputStream out = client.getOutputStream()) {
                        go.await();
                        for (int at = 0; at < data.length; at += 512) {
                            out.write(data, at, 512);
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            go.countDown();
            for (Thread w : writers) {
                w.join();
            }
            for (int i = 0; i < sinks.size(); i++) {
                assertThat(sinks.get(i).end.get(30, TimeUnit.SECONDS)).isZero();
                assertThat(sinks.get(i).received()).as("stream %d", i).isEqualTo(pattern(64 * 1024, i));
            }
            assertThat(ops.loop().operations().chunkStreams().rearms).as("re-arms after a CQE without F_MORE")
                    .isPositive();
        }
    }

    @Test
    void idleStreamsHoldNoBuffer() throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().receiveBuffers(64, 1024).build())) {
            int l = listen(ops);
            List<Pair> pairs = new ArrayList<>();
            List<Sink> sinks = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                Pair p = accept(ops, l);
                Sink s = new Sink(false);
                pairs.add(p);
                sinks.add(s);
                ops.receiveChunks(p.server(), null, s);
            }
            // One round trip through the loop: every stream's receive is armed by now.
            assertThat(await(ops, c -> ops.timeout(0, null, c))).isZero();
            assertThat(ops.loop().operations().chunkStreams().buffers().queued()).as("buffers in the ring")
                    .isEqualTo(64);
            for (Pair p : pairs) {
                p.client().close();
            }
            for (Sink s : sinks) {
                assertThat(s.end.get(30, TimeUnit.SECONDS)).isZero();
            }
        }
    }

    @Test
    void aMultishotAcceptTheKernelEndsIsRearmedAndEveryConnectionArrivesOnce() throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().queueDepth(2).build(), 4)) {
            assertThat(ops.supports(AioCapability.MULTISHOT_ACCEPT)).isTrue();
            int l = listen(ops);
            int port = ((InetSocketAddress) ops.localAddress(l)).getPort();
            BlockingQueue<Integer> handles = new LinkedBlockingQueue<>();
            CompletableFuture<Integer> end = new CompletableFuture<>();
            long token = ops.acceptStream(l, null, new dev.aioops.spi.AioAcceptHandler<Object>() {
                @Override
                public void accepted(Object attachment, int handle) {
                    handles.add(handle);
                }

                @Override
                public void end(int result, Object attachment) {
                    end.complete(result);
                }
            });
            List<Socket> clients = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> connectors = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                connectors.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 100; i++) {
                        try {
                            clients.add(new Socket(LOOPBACK, port));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }
                }));
            }
            for (Thread c : connectors) {
                c.join();
            }
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int i = 0; i < 800; i++) {
                Integer h = handles.poll(30, TimeUnit.SECONDS);
                assertThat(h).isNotNull();
                assertThat(seen.add(h)).isTrue();
            }
            ops.cancel(token);
            assertThat(end.get(30, TimeUnit.SECONDS)).isEqualTo(-dev.aioops.spi.AioErrno.ECANCELED);
            assertThat(handles).isEmpty();
            assertThat(ops.loop().operations().acceptStreams().rearms).as("re-arms after a CQE without F_MORE")
                    .isPositive();
            for (Socket c : clients) {
                c.close();
            }
        }
    }

    @Test
    void withoutTheOpcodesTheStreamsAreEmulated() throws Exception {
        try (UringAioOperations ops = UringAioOperations.openWithout(AioConfig.defaults(), UringLayout.OP_SEND_ZC)) {
            assertThat(ops.supports(AioCapability.PROVIDED_BUFFERS)).isFalse();
            Pair p = accept(ops, listen(ops));
            Sink sink = new Sink(false);
            ops.receiveChunks(p.server(), null, sink);
            byte[] data = pattern(200_000, 6);
            try (Socket client = p.client(); OutputStream out = client.getOutputStream()) {
                out.write(data);
            }
            assertThat(sink.end.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(sink.received()).isEqualTo(data);
        }
    }
}
