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
 * Deadlines on a ring whose SQ is smaller than what one loop turn submits: every operation and its link timeout
 * reach the kernel in the same submission (a pair split across two would leave the read without its deadline,
 * waiting for ever).
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
