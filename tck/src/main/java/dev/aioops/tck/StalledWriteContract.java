package dev.aioops.tck;

import dev.aioops.spi.AioErrno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static dev.aioops.spi.AioOperations.STREAM;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write that cannot progress, because the peer reads nothing and every buffer between them is full, is an
 * operation in flight like any other: its deadline ends it with {@code -ETIMEDOUT}, a cancel, its handle's close or
 * the instance's close with {@code -ECANCELED}, each exactly once. (An adapter that hands the bytes to a library's
 * queue, as Vert.x does to Netty's outbound buffer, must still end the operation; what became of its bytes is then
 * unknown, as after a timed-out write on the JDK's channels.)
 */
public abstract class StalledWriteContract extends AioContract {

    private static final int BLOCK = 1 << 20;
    /** More than every socket buffer of a loopback connection holds (a few MiB each way). */
    private static final int MAX_BLOCKS = 512;
    private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

    /** The token of the write {@link #stallAWrite} left stalled. */
    private long stalledToken;

    /** For subclasses. */
    protected StalledWriteContract() {
    }

    @Test
    @Timeout(120)
    void aWriteToAPeerThatReadsNothingTimesOutAtItsDeadline() {
        int[] pair = connectedPair();
        MemorySegment block = arena.allocate(BLOCK);
        for (int i = 0; i < MAX_BLOCKS; i++) {
            AioCompletionRecorder<Object> write = recorder();
            long start = System.nanoTime();
            ops.write(pair[0], block, STREAM, STALL_NANOS, null, write);
            int result = write.await();
            if (result == -AioErrno.ETIMEDOUT) {
                assertThat(System.nanoTime() - start).as("time to the deadline").isGreaterThanOrEqualTo(
                        STALL_NANOS - TimeUnit.MILLISECONDS.toNanos(20));
                return;
            }
            assertThat(result).as("write %d: %s", i, AioCompletionRecorder.describe(result)).isPositive();
        }
        throw new AssertionError("no write stalled after " + MAX_BLOCKS + " MiB to a peer that reads nothing");
    }

    @Test
    @Timeout(120)
    void closingTheHandleEndsAStalledWriteOnce() {
        int[] pair = connectedPair();
        AioCompletionRecorder<Object> stalled = stallAWrite(pair[0]);
        assertThat(call(c -> ops.close(pair[0], null, c))).isZero();
        assertThat(stalled.await()).isEqualTo(-AioErrno.ECANCELED);
    }

    @Test
    @Timeout(120)
    void cancellingAStalledWriteEndsItOnce() {
        int[] pair = connectedPair();
        AioCompletionRecorder<Object> stalled = stallAWrite(pair[0]);
        ops.cancel(stalledToken);
        assertThat(stalled.await()).isEqualTo(-AioErrno.ECANCELED);
    }

    @Test
    @Timeout(120)
    void closingTheInstanceEndsAStalledWriteOnce() {
        int[] pair = connectedPair();
        AioCompletionRecorder<Object> stalled = stallAWrite(pair[0]);
        ops.close();
        assertThat(stalled.await()).isEqualTo(-AioErrno.ECANCELED);
        assertThat(stalled.calls()).isEqualTo(1);
    }

    /** Writes blocks to a peer that reads nothing until one has not completed after {@link #STALL_NANOS}. */
    private AioCompletionRecorder<Object> stallAWrite(int socket) {
        MemorySegment block = arena.allocate(BLOCK);
        for (int i = 0; i < MAX_BLOCKS; i++) {
            AioCompletionRecorder<Object> write = recorder();
            stalledToken = ops.write(socket, block, STREAM, null, write);
            long end = System.nanoTime() + STALL_NANOS;
            while (!write.isDone() && System.nanoTime() < end) {
                LockSupport.parkNanos(1_000_000); // a spin would take the core the loop needs on a small machine
            }
            if (!write.isDone()) {
                return write;
            }
            int result = write.result();
            assertThat(result).as("write %d: %s", i, AioCompletionRecorder.describe(result)).isPositive();
        }
        throw new AssertionError("no write stalled after " + MAX_BLOCKS + " MiB to a peer that reads nothing");
    }
}
