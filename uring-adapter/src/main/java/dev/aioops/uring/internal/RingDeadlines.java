package dev.aioops.uring.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Deadlines as the kernel does them: the operation's SQE carries {@code IOSQE_IO_LINK} and is followed, in the
 * same submission, by an {@code IORING_OP_LINK_TIMEOUT} whose timespec is in the slot's scratch memory (the
 * kernel copies it when it takes the SQE, and the scratch outlives the slot). When the timeout fires, the kernel
 * cancels the operation, which completes with {@code -ECANCELED} (or {@code -EINTR} from an io-wq worker);
 * {@link #result} makes that {@code -ETIMEDOUT} unless the user or a close cancelled it. The timeout's own CQE has
 * {@link UserData#DEADLINE} and is ignored. Allocation-free; loop thread only.
 */
final class RingDeadlines {

    private final OpSlots slots;
    private final RingDriver driver;
    private final MemorySegment sqes;
    private final OpcodeSupport kernel;

    RingDeadlines(OpSlots slots, RingDriver driver, OpcodeSupport kernel) {
        this.slots = slots;
        this.driver = driver;
        this.sqes = driver.sqes();
        this.kernel = kernel;
    }

    /** Whether the kernel can do a deadline of {@code timeoutNanos} (none, 0, always can). */
    boolean supported(long timeoutNanos) {
        return timeoutNanos == 0 || kernel.has(UringLayout.OP_LINK_TIMEOUT);
    }

    /** The SQE of an operation: the first of a linked pair when it has a deadline, so that both go out together. */
    long sqe(long timeoutNanos) {
        return timeoutNanos > 0 ? driver.sqePair() : driver.sqe();
    }

    /**
     * After the operation of slot {@code s} is written at {@code at} (taken with {@link #sqe}): links its deadline.
     *
     * @param timeoutNanos the deadline, or 0 for none (then nothing happens)
     */
    void link(int s, long at, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return;
        }
        slots.deadline[s] = true;
        MemorySegment scratch = slots.scratchChunk(s);
        long ts = slots.deadlineOffset(s);
        scratch.set(JAVA_LONG, ts + UringLayout.TIMESPEC_TV_SEC, timeoutNanos / 1_000_000_000L);
        scratch.set(JAVA_LONG, ts + UringLayout.TIMESPEC_TV_NSEC, timeoutNanos % 1_000_000_000L);
        SqeEncoder.link(sqes, at);
        SqeEncoder.linkTimeout(sqes, driver.sqe(), scratch.address() + ts, UserData.DEADLINE);
    }

    /**
     * The result of an operation with a deadline: a cancellation that neither the user nor a close asked for was
     * the link timeout's.
     */
    static int result(int result, boolean cancelled, boolean closing) {
        boolean killed = result == -AioErrno.ECANCELED || result == -AioErrno.EINTR;
        return killed && !cancelled && !closing ? -AioErrno.ETIMEDOUT : result;
    }
}
