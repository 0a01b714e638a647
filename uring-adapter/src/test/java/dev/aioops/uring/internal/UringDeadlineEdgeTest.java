package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

import static dev.aioops.spi.AioOperations.STREAM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deadlines on a ring whose SQ is smaller than what one loop turn submits: the reads, the deadline timer and the
 * cancels of the reads that are due go out over many submissions, and every read still times out once.
 */
@Timeout(60)
class UringDeadlineEdgeTest {

    @Test
    void deadlineReadsOverflowingATinySqEachTimeOut() throws Exception {
        for (int depth : new int[] {1, 2, 4}) {
            try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().queueDepth(depth).build());
                 Arena arena = Arena.ofShared()) {
                int[] pair = connectedPair(ops);
                int n = 5 * Math.max(depth, 2) + 1;
                Results[] reads = new Results[n];
                MemorySegment[] buffers = new MemorySegment[n];
                for (int i = 0; i < n; i++) {
                    reads[i] = new Results();
                    buffers[i] = arena.allocate(8);
                }
                long deadline = TimeUnit.MILLISECONDS.toNanos(50);
                // On the loop, in one turn: the SQ fills up again and again between the pairs.
                ops.execute(() -> {
                    for (int i = 0; i < n; i++) {
                        ops.read(pair[1], buffers[i], STREAM, deadline, null, reads[i]);
                    }
                });
                for (int i = 0; i < n; i++) {
                    assertThat(reads[i].await()).as("read %d of %d, queueDepth %d", i, n, depth)
                            .isEqualTo(-AioErrno.ETIMEDOUT);
                }
            }
        }
    }

    @Test
    void readsWhoseDataComesInTimeArmTheKernelTimerRarelyAndLeaveNoDeadlineBehind() throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().build());
             Arena arena = Arena.ofShared()) {
            int[] pair = connectedPair(ops);
            MemorySegment in = arena.allocate(8);
            MemorySegment out = arena.allocateFrom("ping");
            int rounds = 200;
            for (int i = 0; i < rounds; i++) {
                Results read = new Results();
                ops.read(pair[1], in, STREAM, TimeUnit.SECONDS.toNanos(30), null, read);
                Results written = new Results();
                ops.write(pair[0], out.asSlice(0, 4), STREAM, null, written);
                assertThat(written.await()).isEqualTo(4);
                assertThat(read.await()).isEqualTo(4);
            }
            Results pending = new Results();
            Results armed = new Results();
            ops.execute(() -> {
                pending.completed(ops.deadlines().pending(), null);
                armed.completed(ops.deadlines().timersArmed(), null);
            });
            assertThat(pending.await()).as("deadlines still waiting").isZero();
            // Each later deadline finds the timer armed for an earlier one: not a kernel timer per read.
            assertThat(armed.await()).as("kernel timers armed for %d reads", rounds).isEqualTo(1);
        }
    }

    @Test
    void aDeadlineEarlierThanTheArmedTimerStillFiresOnTime() throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().build()); Arena arena = Arena.ofShared()) {
            int[] first = connectedPair(ops);
            int[] second = connectedPair(ops);
            Results late = new Results();
            ops.read(first[1], arena.allocate(8), STREAM, TimeUnit.MINUTES.toNanos(10), null, late);
            Results soon = new Results();
            long start = System.nanoTime();
            ops.read(second[1], arena.allocate(8), STREAM, TimeUnit.MILLISECONDS.toNanos(50), null, soon);
            // Results.await gives up after 30 s: a deadline left to the 10-minute timer would fail here.
            assertThat(soon.await()).isEqualTo(-AioErrno.ETIMEDOUT);
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
            Results sent = new Results();
            ops.write(first[0], arena.allocateFrom("x").asSlice(0, 1), STREAM, null, sent);
            assertThat(sent.await()).isEqualTo(1);
            assertThat(late.await()).as("the long deadline's read gets its data").isEqualTo(1);
        }
    }

    private static int[] connectedPair(UringAioOperations ops) {
        Results listening = new Results();
        ops.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, null, listening);
        int listener = listening.await();
        InetSocketAddress address;
        try {
            address = (InetSocketAddress) ops.localAddress(listener);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Results accepted = new Results();
        ops.accept(listener, null, accepted);
        Results connected = new Results();
        ops.connect(address, null, connected);
        int client = connected.await();
        int server = accepted.await();
        assertThat(client).isGreaterThanOrEqualTo(0);
        assertThat(server).isGreaterThanOrEqualTo(0);
        return new int[] {client, server};
    }
}
