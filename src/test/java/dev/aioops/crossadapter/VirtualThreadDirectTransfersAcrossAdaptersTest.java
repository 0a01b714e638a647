package dev.aioops.crossadapter;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.spi.AioStats;
import dev.aioops.vthreads.AioBlocking;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static dev.aioops.crossadapter.VirtualThreadCalls.closeOnVirtualThread;
import static dev.aioops.crossadapter.VirtualThreadCalls.connectedPair;
import static dev.aioops.crossadapter.VirtualThreadCalls.onVirtualThread;
import static dev.aioops.spi.AioOperations.STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The facade's socket transfers tried on the calling thread ({@link AioBlocking}'s class comment): on an adapter
 * with descriptors, a send or receive that need not wait never reaches the loop; what is not a socket (an eventfd
 * read at the stream position) and what must wait still go to the loop, on every adapter.
 */
@Timeout(60)
class VirtualThreadDirectTransfersAcrossAdaptersTest {


    /** A snapshot taken on the loop thread, where it is exact ({@link AioStats}). */
    private static AioStats exactStats(AioOperations ops) throws Exception {
        CompletableFuture<AioStats> stats = new CompletableFuture<>();
        ops.execute(() -> stats.complete(ops.stats()));
        return stats.get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void socket_transfers_that_need_not_wait_do_not_reach_the_loop(AioProvider adapter) throws Exception {
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            assumeTrue(ops.supports(AioCapability.RAW_FD), "only an adapter with descriptors can try on the caller");
            AioBlocking io = new AioBlocking(ops);
            int[] pair = connectedPair(io);
            MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_BYTE, "ping-pong".getBytes());
            MemorySegment in = arena.allocate(9);
            long before = exactStats(ops).submitted();
            onVirtualThread(() -> {
                io.writeFully(pair[0], out, STREAM);
                assertThat(io.readFully(pair[1], in, STREAM)).isEqualTo(9); // the bytes are there already
                assertThat(io.write(pair[1], out.asSlice(0, 4), STREAM)).isEqualTo(4);
                assertThat(io.read(pair[0], in, STREAM)).isEqualTo(4);
                return null;
            });
            assertThat(exactStats(ops).submitted()).as("operations submitted to the loop").isEqualTo(before);
            assertThat(new String(in.asSlice(0, 4).toArray(ValueLayout.JAVA_BYTE))).isEqualTo("ping");
            closeOnVirtualThread(io, pair[0], pair[1]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void a_read_that_must_wait_goes_to_the_loop_and_gets_what_comes_later(AioProvider adapter) throws Exception {
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            AioBlocking io = new AioBlocking(ops);
            int[] pair = connectedPair(io);
            MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_BYTE, "late".getBytes());
            MemorySegment in = arena.allocate(4);
            long before = exactStats(ops).submitted();
            FutureTask<Integer> reader = new FutureTask<>(() -> io.readFully(pair[1], in, STREAM));
            Thread.ofVirtual().start(reader);
            // Only once the read waits in the loop does the peer write: the read cannot have found the bytes.
            while (exactStats(ops).submitted() == before) {
                Thread.onSpinWait();
            }
            onVirtualThread(() -> {
                io.writeFully(pair[0], out, STREAM);
                return null;
            });
            assertThat(reader.get(30, TimeUnit.SECONDS)).isEqualTo(4);
            assertThat(new String(in.toArray(ValueLayout.JAVA_BYTE))).isEqualTo("late");
            closeOnVirtualThread(io, pair[0], pair[1]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void an_eventfd_read_at_the_stream_position_is_no_socket_transfer(AioProvider adapter) throws Exception {
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            AioBlocking io = new AioBlocking(ops);
            MemorySegment value = arena.allocate(8);
            long read = onVirtualThread(() -> {
                int efd = io.call("eventfd", (a, c) -> ops.eventfd(0, a, c));
                assertThat(ops.signal(efd, 5)).isTrue();
                assertThat(io.read(efd, value, STREAM)).isEqualTo(8);
                io.close(efd);
                return value.get(ValueLayout.JAVA_LONG, 0);
            });
            assertThat(read).isEqualTo(5);
        }
    }
}
