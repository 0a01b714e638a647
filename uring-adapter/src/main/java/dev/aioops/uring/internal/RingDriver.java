package dev.aioops.uring.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The submission and completion queues of one ring as its loop uses them: takes SQEs and never drops one when the
 * SQ is full, enters the kernel (submitting, and waiting with a bound: {@code IORING_ENTER_EXT_ARG} from Linux 5.11,
 * a timer op before), and reaps completions in order into {@link UringLoop#complete}, flushing the kernel's overflow
 * list so that none is lost. Allocation-free in the steady state. Loop thread only.
 */
final class RingDriver {

    /** {@code "false"} turns off the registered ring fd ({@link Ring#registerRingFd}); read when a loop starts. */
    static final String REGISTER_RING_FD_PROPERTY = "aioops.uring.registerRingFd";
    /** {@code "false"} makes every busy turn enter the kernel even when it has nothing to do. */
    static final String SKIP_IDLE_ENTER_PROPERTY = "aioops.uring.skipIdleEnter";

    private final UringLoop loop;
    private final Ring ring;
    private final MemorySegment sqes;
    /** An {@code io_uring_getevents_arg} followed by its timespec. */
    private final MemorySegment waitArg;
    private boolean timerArmed;
    /** Whether io_uring_enter takes a timeout ({@code IORING_FEAT_EXT_ARG}, 5.11); tests may turn it off. */
    private volatile boolean extArg;
    private long overflowFlushes;
    /** Whether a turn that waits for nothing skips the enter when the ring says it would do nothing. */
    private final boolean skipIdleEnter;
    private long skippedEnters;
    /** CQEs taken off a full CQ in the middle of a submission, run by the next {@link #reap()}, in order. */
    private long[] backlogUd = new long[16];
    private int[] backlogRes = new int[16];
    private int[] backlogFlags = new int[16];
    private int backlogRead;
    private int backlogSize;

    RingDriver(UringLoop loop, Ring ring, Arena memory) {
        this.loop = loop;
        this.ring = ring;
        this.sqes = ring.sqes();
        this.waitArg = memory.allocate(UringLayout.GETEVENTS_ARG_SIZE + UringLayout.TIMESPEC_SIZE, 8);
        this.extArg = (ring.features() & UringLayout.FEAT_EXT_ARG) != 0;
        this.skipIdleEnter = !"false".equals(System.getProperty(SKIP_IDLE_ENTER_PROPERTY));
    }

    /**
     * Loop, once, on the thread that will enter: registers the ring fd unless turned off by
     * {@link #REGISTER_RING_FD_PROPERTY}; where the kernel refuses, enters keep using the fd.
     */
    void registerRingFd() {
        if (!"false".equals(System.getProperty(REGISTER_RING_FD_PROPERTY))) {
            ring.registerRingFd();
        }
    }

    /** The mapped SQE array, for {@link SqeEncoder}. */
    MemorySegment sqes() {
        return sqes;
    }

    /** Takes a free SQE, submitting the full queue first when needed; never drops a submission. */
    long sqe() {
        return sqes(1);
    }

    private long sqes(int room) {
        loop.wakeup().localWorkQueued();
        long offset = ring.sqFree() >= room ? ring.nextSqe() : -1;
        while (offset < 0) {
            int r = ring.submit(0, false, MemorySegment.NULL);
            if (r == -AioErrno.EBUSY || r == -AioErrno.EAGAIN) {
                // Older kernels refuse submissions while completions overflow: make room by taking them off the
                // CQ. They run later, in reap(): running them here, in the middle of a submission whose slot is
                // taken but whose SQE is not written yet, would let a completion close the handle or the instance
                // under it.
                ring.submit(0, true, MemorySegment.NULL);
                stashCompletions();
            }
            offset = ring.sqFree() >= room ? ring.nextSqe() : -1;
        }
        return offset;
    }

    /** Submits what is queued and, with GETEVENTS, runs deferred completion work; waits when asked to. */
    void enter(int minComplete, long timeoutNanos) {
        if (backlogRead < backlogSize) {
            minComplete = 0; // completions are waiting in the backlog: do not sleep on the ring
        }
        if (minComplete == 0 && skipIdleEnter && !ring.enterWouldWork()) {
            // Nothing to submit, no task work and no overflow: the syscall would return 0 having done nothing.
            // Work the kernel queues after this check sets IORING_SQ_TASKRUN and is seen by the next turn, and
            // a turn that sleeps always enters.
            skippedEnters++;
            return;
        }
        MemorySegment arg = MemorySegment.NULL;
        boolean timer = false;
        if (minComplete > 0 && timeoutNanos > 0) {
            long ts = waitArg.address() + UringLayout.GETEVENTS_ARG_SIZE;
            waitArg.set(JAVA_LONG, UringLayout.GETEVENTS_ARG_SIZE + UringLayout.TIMESPEC_TV_SEC,
                    timeoutNanos / 1_000_000_000L);
            waitArg.set(JAVA_LONG, UringLayout.GETEVENTS_ARG_SIZE + UringLayout.TIMESPEC_TV_NSEC,
                    timeoutNanos % 1_000_000_000L);
            if (extArg) {
                arg = waitArg;
                waitArg.set(JAVA_LONG, UringLayout.GETEVENTS_ARG_SIGMASK, 0L);
                waitArg.set(JAVA_INT, UringLayout.GETEVENTS_ARG_SIGMASK_SZ, 0);
                waitArg.set(JAVA_INT, UringLayout.GETEVENTS_ARG_PAD, 0);
                waitArg.set(JAVA_LONG, UringLayout.GETEVENTS_ARG_TS, ts);
            } else if (!timerArmed) {
                // Before Linux 5.11 the wait has no timeout argument: a timer op's completion ends it instead.
                SqeEncoder.timeout(sqes, sqe(), ts, 0, UserData.TIMER);
                timerArmed = true;
                timer = true;
            }
        }
        while (true) {
            int r = ring.submit(minComplete, true, arg);
            if (r == -AioErrno.EINTR) {
                continue;
            }
            if (r == -AioErrno.EBUSY || r == -AioErrno.EAGAIN) {
                // The kernel wants completions reaped before it takes more submissions.
                if (reap() > 0 || minComplete == 0) {
                    break;
                }
                continue;
            }
            break;
        }
        if (timer && timerArmed && !loop.isDone()) {
            SqeEncoder.cancel(sqes, sqe(), UserData.TIMER, UserData.IGNORE); // goes out with the next submission
        }
    }

    /** The wait timer's completion arrived (it fired, or its cancel took effect). */
    void timerCompleted() {
        timerArmed = false;
    }

    /** Moves every CQE to the backlog without running it (see {@link #sqe()}). */
    private void stashCompletions() {
        while (true) {
            if (ring.cqReady() == 0) {
                if (!ring.cqOverflowed()) {
                    return;
                }
                overflowFlushes++;
                ring.submit(0, true, MemorySegment.NULL);
                if (ring.cqReady() == 0) {
                    return;
                }
            }
            if (backlogSize == backlogUd.length) {
                backlogUd = Arrays.copyOf(backlogUd, backlogSize * 2);
                backlogRes = Arrays.copyOf(backlogRes, backlogSize * 2);
                backlogFlags = Arrays.copyOf(backlogFlags, backlogSize * 2);
            }
            backlogUd[backlogSize] = ring.cqeUserData(0);
            backlogRes[backlogSize] = ring.cqeRes(0);
            backlogFlags[backlogSize] = ring.cqeFlags(0);
            backlogSize++;
            ring.cqAdvance(1);
        }
    }

    /**
     * Runs the stashed completions, then every completion in the CQ, flushing the kernel's overflow list.
     *
     * @return completions run (those of the loop's own requests do not count)
     */
    int reap() {
        int n = 0;
        // Completions may stash more while these run; the loop sees them because it re-reads the size.
        while (!loop.isDone() && backlogRead < backlogSize) {
            long ud = backlogUd[backlogRead];
            int res = backlogRes[backlogRead];
            int flags = backlogFlags[backlogRead];
            backlogRead++;
            n += loop.complete(ud, res, flags);
        }
        if (backlogRead == backlogSize) {
            backlogRead = 0;
            backlogSize = 0;
        }
        while (!loop.isDone()) {
            if (ring.cqReady() == 0) {
                if (!ring.cqOverflowed()) {
                    return n;
                }
                overflowFlushes++;
                ring.submit(0, true, MemorySegment.NULL);
                if (ring.cqReady() == 0) {
                    return n;
                }
            }
            long ud = ring.cqeUserData(0);
            int res = ring.cqeRes(0);
            int flags = ring.cqeFlags(0);
            ring.cqAdvance(1);
            n += loop.complete(ud, res, flags);
        }
        return n;
    }

    /** For tests: waits with a timer op rather than a timeout argument, as on kernels before 5.11. */
    void pretendNoExtArg() {
        extArg = false;
    }

    /** For tests: how many enters a turn skipped because the ring had nothing for the kernel to do. */
    long skippedEnters() {
        return skippedEnters;
    }

    /** For tests: how often the kernel's CQ overflow list had to be flushed. */
    long overflowFlushes() {
        return overflowFlushes;
    }
}
