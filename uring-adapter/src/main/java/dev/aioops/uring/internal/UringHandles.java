package dev.aioops.uring.internal;

import dev.aioops.spi.AioCloseTimeoutException;
import dev.aioops.spi.AioErrno;
import dev.aioops.uring.ring.LibC;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

/**
 * The handles of one instance ({@link FdTable}: the descriptors it opened) and the two close protocols, whose rule
 * is that a descriptor is never closed while the kernel may still use it (else a reused number would let a late
 * operation hit another file or socket).
 *
 * <p><b>Closing a handle</b> marks it closing (new operations get {@code -EBADF}), cancels its operations by
 * descriptor ({@code ASYNC_CANCEL_FD|ALL}; one by one by user_data before Linux 5.19, which answers that cancel
 * with {@code -EINVAL}), and when the last of their completions has run and the threads inside {@code signal} or
 * {@code localAddress} have left, calls {@code close(2)} and completes the close with 0.
 *
 * <p><b>Closing the instance</b> shuts down sockets with operations in flight (a cancel of many polled requests is
 * quadratic in the kernel, see {@link #wakePolled}), cancels everything else ({@code ASYNC_CANCEL_ANY|ALL}), and
 * reaps until every operation has completed or {@code closeTimeout} has passed; what the kernel still holds then
 * is reported as one {@link AioCloseTimeoutException} ({@link StuckOps}) and stays pending.
 *
 * <p>Loop thread only.
 */
final class UringHandles {

    private final UringLoop loop;
    private final OpSlots slots;
    private final FdTable fds = new FdTable();
    /** The result of the instance close's cancel-all: 1 until it completes. */
    private int cancelAllResult = 1;
    /** Whether to cancel by fd / all at once (Linux 5.19+); tests turn it off to exercise the one-by-one path. */
    private volatile boolean cancelByKey = true;
    /** For tests: the slot of an op that close must not cancel, or -1. */
    private int uncancellable = -1;

    UringHandles(UringLoop loop, OpSlots slots) {
        this.loop = loop;
        this.slots = slots;
    }

    /** Any thread: the table of open descriptors. */
    FdTable table() {
        return fds;
    }

    // ----------------------------------------------------------------------------------------------- one handle

    /**
     * Begins closing a handle: from now on its operations get {@code -EBADF}; the close op of slot
     * {@code closeSlot} completes once the descriptor is closed.
     *
     * @param e         the handle, not closing yet
     * @param closeSlot the op slot of the close
     */
    void close(FdTable.Entry e, int closeSlot) {
        e.closing = true;
        e.shut();
        e.closeSlot = closeSlot;
        if (e.inflight > 0) {
            // A zero-copy send's file splice runs on its pipe: the cancel by descriptor below would not find it.
            loop.operations().sendFiles().stop(e);
        }
        if (e.inflight == 0) {
            finishClose(e);
        } else if (cancelByKey) {
            RingDriver driver = loop.driver();
            SqeEncoder.cancelFd(driver.sqes(), driver.sqe(), e.fd, UserData.cancelFd(e.handle));
        } else {
            cancelEach(e.handle);
        }
    }

    /** An operation of {@code e} has completed (its in-flight count is already down): maybe the close can finish. */
    void opCompleted(FdTable.Entry e) {
        if (e.closing && e.inflight == 0 && !loop.isDone()) {
            finishClose(e);
        }
    }

    /** The cancel by descriptor of the handle {@code handle} completed with {@code res}. */
    void cancelFdCompleted(int handle, int res) {
        if (res == -AioErrno.EINVAL) {
            cancelEach(handle); // before Linux 5.19
        }
    }

    /** The descriptor has no op in the kernel any more; waits out signal/localAddress users and closes it. */
    private void finishClose(FdTable.Entry e) {
        if (fds.get(e.handle) != e) {
            // Already finished: a completion closed its own handle, and close() got there first.
            return;
        }
        awaitIdle(e);
        fds.remove(e.handle);
        LibC.close(e.fd);
        int s = e.closeSlot;
        e.closeSlot = -1;
        if (s >= 0) {
            loop.operations().completeWithoutCqe(s, 0);
        }
    }

    /** Waits out the threads inside {@code signal} or {@code localAddress} on a shut entry: one short call each. */
    private static void awaitIdle(FdTable.Entry e) {
        for (int spins = 0; !e.idle(); spins++) {
            UringLoop.backOff(spins);
        }
    }

    /**
     * Fallback of cancel-by-fd for kernels before 5.19: cancels each op on {@code handle} (all if -1) by user_data.
     * By handle, not descriptor: a late answer must not cancel the ops of a newer handle on a reused number.
     */
    private void cancelEach(int handle) {
        RingDriver driver = loop.driver();
        for (int s = 0; s < slots.capacity(); s++) {
            if (slots.kind[s] != OpSlots.FREE && slots.kind[s] != OpSlots.CLOSE
                    && (handle < 0 || slots.handle[s] == handle) && s != uncancellable) {
                SqeEncoder.cancel(driver.sqes(), driver.sqe(), slots.token(s), UserData.IGNORE);
            }
        }
    }

    // ----------------------------------------------------------------------------------------------- the instance

    /** The instance close's cancel-all completed with {@code res}. */
    void cancelAllCompleted(int res) {
        cancelAllResult = res;
    }

    /**
     * Instance close: cancels every op in flight and runs each completion that comes back in closeTimeout; reports
     * the ops still in the kernel then.
     *
     * @return whether ops (or the wake-up read) are still in the kernel
     */
    boolean cancelAndWait() {
        cancelAllResult = 1;
        RingDriver driver = loop.driver();
        if (cancelByKey) {
            wakePolled();
            SqeEncoder.cancelAll(driver.sqes(), driver.sqe(), UserData.CANCEL_ALL);
        } else {
            cancelAllResult = -AioErrno.EINVAL; // as a kernel before 5.19 answers
        }
        long deadline = System.nanoTime() + loop.config().closeTimeout().toNanos();
        boolean fellBack = false;
        LoopWakeup wakeup = loop.wakeup();
        while (slots.inFlight() > 0 || wakeup.isArmed()) {
            if (cancelAllResult == -AioErrno.EINVAL && !fellBack) {
                fellBack = true;
                cancelEach(-1);
                wakeup.cancelRead();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            driver.enter(1, Math.min(left, 50_000_000L));
            driver.reap();
            loop.inbox().drain();
            loop.runTasks();
            // Handle closes waiting for their descriptor are settled by the completions above, or below.
        }
        AioCloseTimeoutException stuck = StuckOps.report(slots, loop.config().closeTimeout());
        if (stuck != null) {
            loop.report(stuck);
        }
        // The wake-up read's buffer is ours too: if the kernel still holds it, the memory must not be freed yet.
        return stuck != null || wakeup.isArmed() || slots.inFlight() > 0;
    }

    /**
     * Instance close: wakes every op that waits on poll on a socket by shutting the socket down, and runs the
     * kernel's task work so that they complete and leave its poll list. The kernel's cancel of a polled request
     * ({@code ASYNC_CANCEL_ANY|ALL}, by fd or by user_data alike) scans that whole list for each match, and with
     * {@code DEFER_TASKRUN} matched requests stay in it until task work runs: quadratic in the pending polls
     * (3.7 s for 20,000 socket reads on Linux 6.18). Ops woken this way complete with {@code -ECANCELED}
     * unless they moved data ({@link RingOperations#complete}).
     */
    private void wakePolled() {
        int[] n = {0};
        fds.forEach(e -> {
            if (e.inflight > 0 && (e.kind == FdTable.SOCKET || e.kind == FdTable.LISTENER
                    || e.kind == FdTable.DATAGRAM)) {
                LibC.shutdown(loop.errnoState(), e.fd, UringLayout.SHUT_RDWR);
                n[0]++;
            }
        });
        // Without a wait, one io_uring_enter runs at most 20 items of deferred task work (IO_LOCAL_TW_DEFAULT_MAX).
        if (n[0] > 0) {
            RingDriver driver = loop.driver();
            do {
                driver.enter(0, 0);
            } while (driver.reap() > 0 && !loop.isDone());
        }
    }

    /** Instance close: closes every descriptor that no op in the kernel still uses. */
    void closeIdle() {
        loop.operations().sendFiles().closeIdle();
        fds.forEach(e -> {
            if (e.inflight == 0) {
                e.shut();
                awaitIdle(e);
                fds.remove(e.handle);
                LibC.close(e.fd);
            }
        });
    }

    // ----------------------------------------------------------------------------------------------- test hooks

    /** For tests: close will not cancel the op in {@code slot} (or none if -1), and cancels one op at a time. */
    void pretendUncancellable(int slot) {
        uncancellable = slot;
        cancelByKey = false;
    }

    /** For tests: cancels one op at a time, as on kernels before 5.19. */
    void pretendNoCancelKeys() {
        cancelByKey = false;
    }
}
