package dev.aioops.epoll.internal;

import dev.aioops.spi.AioChunkHandler;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioShutdown;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Emulated receive streams on epoll wait for readiness without a buffer ({@link EpollReadiness}): idle streams,
 * more of them than the pool's buffers, leave the pool empty, and a stream takes a buffer only to read. Before the
 * fix every waiting stream held the buffer of its posted read, and the pool grew to one buffer per stream.
 */
@Timeout(60)
class EpollIdleReceiveStreamTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int BUFFERS = 4;
    private static final int STREAMS = 32;

    /** Copies every chunk and gives it back at once. */
    private static final class Sink implements AioChunkHandler<Object> {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<Integer> end = new CompletableFuture<>();
        final CountDownLatch first = new CountDownLatch(1);

        @Override
        public synchronized boolean chunk(Object attachment, MemorySegment data, long chunk) {
            bytes.writeBytes(data.toArray(ValueLayout.JAVA_BYTE));
            first.countDown();
            return false;
        }

        @Override
        public void end(int result, Object attachment) {
            assertThat(end.complete(result)).as("one end").isTrue();
        }

        synchronized String received() {
            return bytes.toString(StandardCharsets.US_ASCII);
        }
    }

    private record Pair(Socket client, int server) {
    }

    @Test
    void idleStreamsHoldNoBufferAndStillReceiveEverything() throws Exception {
        try (EpollAioOperations ops = EpollAioOperations.open(AioConfig.builder()
                .receiveBuffers(BUFFERS, 16384).build())) {
            int listener = listen(ops);
            List<Pair> pairs = new ArrayList<>();
            List<Sink> sinks = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                Pair p = accept(ops, listener);
                Sink s = new Sink();
                pairs.add(p);
                sinks.add(s);
                ops.receiveChunks(p.server(), null, s);
            }
            // One round trip through the loop: every stream waits by now.
            assertThat(await(ops, c -> ops.timeout(0, null, c))).isZero();
            assertThat(ops.chunkStreams().allocatedBuffers()).as("buffers held by %d idle streams", STREAMS)
                    .isZero();

            for (int i = 0; i < STREAMS; i++) {
                pairs.get(i).client().getOutputStream().write(("hello " + i).getBytes(StandardCharsets.US_ASCII));
            }
            for (int i = 0; i < STREAMS; i++) {
                assertThat(sinks.get(i).first.await(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(ops.chunkStreams().allocatedBuffers()).as("buffers after one chunk each, none kept")
                    .isBetween(1, BUFFERS);

            for (Pair p : pairs) {
                p.client().close();
            }
            for (int i = 0; i < STREAMS; i++) {
                assertThat(sinks.get(i).end.get(30, TimeUnit.SECONDS)).as("end of stream").isZero();
                assertThat(sinks.get(i).received()).isEqualTo("hello " + i);
            }
        }
    }

    @Test
    void aSpuriousReadinessGivesTheBufferBackAndTheStreamWaitsAgain() throws Exception {
        try (EpollAioOperations ops = EpollAioOperations.open(AioConfig.builder()
                .receiveBuffers(BUFFERS, 16384).build())) {
            Pair p = accept(ops, listen(ops));
            Sink sink = new Sink();
            ops.receiveChunks(p.server(), null, sink);
            // A shutdown of the output pumps the socket's reads: the stream's wait completes with nothing to read.
            assertThat(await(ops, c -> ops.shutdown(p.server(), AioShutdown.WRITE, null, c))).isZero();
            assertThat(await(ops, c -> ops.timeout(0, null, c))).isZero();
            assertThat(sink.end).isNotDone();
            assertThat(sink.received()).isEmpty();

            p.client().getOutputStream().write("after".getBytes(StandardCharsets.US_ASCII));
            assertThat(sink.first.await(30, TimeUnit.SECONDS)).isTrue();
            p.client().close();
            assertThat(sink.end.get(30, TimeUnit.SECONDS)).isZero();
            assertThat(sink.received()).isEqualTo("after");
            assertThat(ops.chunkStreams().allocatedBuffers()).isEqualTo(1);
        }
    }

    private static int listen(EpollAioOperations ops) throws Exception {
        int l = await(ops, c -> ops.listen(new InetSocketAddress(LOOPBACK, 0), 1024, null, c));
        assertThat(l).isNotNegative();
        return l;
    }

    private static Pair accept(EpollAioOperations ops, int listener) throws Exception {
        CompletableFuture<Integer> accepted = new CompletableFuture<>();
        ops.accept(listener, null, (r, a) -> accepted.complete(r));
        Socket client = new Socket(LOOPBACK, ((InetSocketAddress) ops.localAddress(listener)).getPort());
        int server = accepted.get(30, TimeUnit.SECONDS);
        assertThat(server).isNotNegative();
        return new Pair(client, server);
    }

    private static int await(EpollAioOperations ops, Function<AioCompletion<Object>, Long> submit) throws Exception {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        submit.apply((r, a) -> f.complete(r));
        return f.get(30, TimeUnit.SECONDS);
    }
}
