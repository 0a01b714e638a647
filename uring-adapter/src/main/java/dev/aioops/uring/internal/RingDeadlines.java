package dev.aioops.uring.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Deadlines kept by the loop, as nginx and Netty keep their timers: an operation with a deadline goes out as one
 * SQE and its slot waits in a heap of due times ({@link SlotDeadlineHeap}); one kernel timer ({@code
 * IORING_OP_TIMEOUT} with {@code IORING_TIMEOUT_ABS} on {@code CLOCK_MONOTONIC}, the clock of {@link
 * System#nanoTime}) is armed for the earliest due time. When it fires, every op past its due time gets an
 * {@code ASYNC_CANCEL} and completes with {@code -ECANCELED} (or {@code -EINTR} from an io-wq worker), which
 * {@link #result} makes {@code -ETIMEDOUT} unless the user or a close cancelled it.
 *
 * <p>Why not {@code IOSQE_IO_LINK} with an {@code IORING_OP_LINK_TIMEOUT} per operation: that arms and cancels
 * a kernel hrtimer and posts a second CQE for every read of a server, whose deadline almost never fires. Measured
 * on the HTTP workload (4 KiB files, 64 connections, wrk), that was 1.55 µs of CPU per request; here an op with
 * a deadline costs a {@code nanoTime} and a heap insertion and removal, and the kernel timer is re-armed about
 * once per deadline period (a deadline earlier than the armed timer arms another; a timer that finds nothing due
 * re-arms for the earliest left). A deadline fires when it is due or a little after (the timer's wake-up), never
 * before; on a host-driven loop the timer's CQE is what wakes the host.
 *
 * <p>The timer's timespec is copied by the kernel when it takes the SQE; it is only ever overwritten with an
 * earlier time, so a timer not yet submitted when a newer one is armed fires early, which is harmless. Timer
 * CQEs carry {@link UserData#DEADLINE}. Allocation-free once the heap has grown; loop thread only.
 */
final class RingDeadlines {

    private final UringLoop loop;
    private final OpSlots slots;
    private final RingDriver driver;
    private final MemorySegment sqes;
    private final OpcodeSupport kernel;
    private final SlotDeadlineHeap due = new SlotDeadlineHeap();
    /** The armed timer's absolute timespec (the instance's memory, freed with the ring). */
    private final MemorySegment timerTime;
    /** When the earliest armed timer fires, or {@code Long.MAX_VALUE} when none is known to be armed. */
    private long armedAt = Long.MAX_VALUE;
    private boolean armed;
    private int timersArmed;

    RingDeadlines(UringLoop loop, OpSlots slots, RingDriver driver, OpcodeSupport kernel, Arena memory) {
        this.loop = loop;
        this.slots = slots;
        this.driver = driver;
        this.sqes = driver.sqes();
        this.kernel = kernel;
        this.timerTime = memory.allocate(UringLayout.TIMESPEC_SIZE, 8);
    }

    /** Whether the kernel can do a deadline of {@code timeoutNanos} (none, 0, always can). */
    boolean supported(long timeoutNanos) {
        return timeoutNanos == 0 || kernel.has(UringLayout.OP_TIMEOUT) && kernel.has(UringLayout.OP_ASYNC_CANCEL);
    }

    /**
     * After the operation of slot {@code s} is written: starts its deadline.
     *
     * @param timeoutNanos the deadline, or 0 for none (then nothing happens)
     */
    void start(int s, long timeoutNanos) {
        if (timeoutNanos <= 0) {
            return;
        }
        slots.deadline[s] = true;
        long at = System.nanoTime() + timeoutNanos;
        due.add(s, at);
        if (!armed || at - armedAt < 0) {
            arm(at);
        }
    }

    /** The op of slot {@code s}, which has a deadline, completed: its deadline is over. */
    void completed(int s) {
        due.remove(s);
    }

    /** The timer's CQE: cancels every op that is due and arms the timer for the earliest left. */
    void timerCompleted() {
        armed = false; // other timers may still be armed; arming again when unsure costs a wake-up, never a miss
        if (loop.isClosing()) {
            return;
        }
        long now = System.nanoTime();
        while (!due.isEmpty() && due.earliest() - now <= 0) {
            SqeEncoder.cancel(sqes, driver.sqe(), slots.token(due.poll()), UserData.IGNORE);
        }
        if (!due.isEmpty()) {
            arm(due.earliest());
        }
    }

    /** For tests: the ops waiting for their deadline. */
    int pending() {
        return due.size();
    }

    /** For tests: how many times the kernel timer was armed. */
    int timersArmed() {
        return timersArmed;
    }

    private void arm(long at) {
        armed = true;
        armedAt = at;
        timersArmed++;
        timerTime.set(JAVA_LONG, UringLayout.TIMESPEC_TV_SEC, at / 1_000_000_000L);
        timerTime.set(JAVA_LONG, UringLayout.TIMESPEC_TV_NSEC, at % 1_000_000_000L);
        SqeEncoder.timeout(sqes, driver.sqe(), timerTime.address(), UringLayout.TIMEOUT_ABS, UserData.DEADLINE);
    }

    /**
     * The result of an operation with a deadline: a cancellation that neither the user nor a close asked for was
     * the deadline's.
     */
    static int result(int result, boolean cancelled, boolean closing) {
        boolean killed = result == -AioErrno.ECANCELED || result == -AioErrno.EINTR;
        return killed && !cancelled && !closing ? -AioErrno.ETIMEDOUT : result;
    }
}
