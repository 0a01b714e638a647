package dev.aioops.epoll.internal;

import dev.aioops.spi.AioErrno;

/**
 * Timeouts and deadlines: a pending timeout, and the deadline of an operation that has one ({@link Op#deadline}),
 * wait in a {@link TimerHeap} until the loop, after each wait, expires those whose time has passed; the loop never
 * sleeps past the earliest. An expired timeout completes with 0; an expired deadline withdraws its operation
 * through its driver, as a cancel does, and turns the {@code -ECANCELED} into {@code -ETIMEDOUT}. An operation
 * that finishes first leaves the heap as it finishes ({@link CompletionQueue#finish}). Loop-confined, but for
 * {@link #deadline}.
 */
final class TimeoutDriver implements OpCanceller {

    private final TimerHeap timers;
    private final CompletionQueue completions;

    TimeoutDriver(CompletionQueue completions) {
        this.completions = completions;
        this.timers = completions.timers();
    }

    /**
     * Any thread, at submission: the deadline of a timeout, capped so that deadlines still compare correctly.
     *
     * @param nanos the delay, not negative
     * @return the deadline on the {@link System#nanoTime()} clock
     */
    static long deadline(long nanos) {
        long now = System.nanoTime();
        return nanos > Long.MAX_VALUE / 2 ? now + Long.MAX_VALUE / 2 : now + nanos;
    }

    /**
     * Watches the deadline of an operation about to start, whose deadline is in {@link Op#value}; added before it
     * starts, so that an operation finishing at once leaves the heap again.
     */
    void watch(Op op) {
        timers.add(op);
    }

    /** Starts a timeout whose deadline is in {@link Op#value}. */
    void start(Op op) {
        op.canceller = this;
        timers.add(op);
    }

    @Override
    public void cancel(Op op) {
        timers.remove(op);
        completions.finish(op, -AioErrno.ECANCELED);
    }

    /**
     * How long the loop may wait.
     *
     * @param timeoutNanos the longest wait the caller allows; negative for no limit
     * @return the shorter of that and the time to the earliest deadline (0 if it has passed); negative for no
     *         limit
     */
    long waitNanos(long timeoutNanos) {
        Op next = timers.peek();
        if (next == null) {
            return timeoutNanos;
        }
        long untilTimer = Math.max(0, next.value - System.nanoTime());
        return timeoutNanos < 0 ? untilTimer : Math.min(untilTimer, timeoutNanos);
    }

    /** Completes, with 0, every timeout whose deadline has passed, earliest first. */
    void expire() {
        if (timers.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        Op op;
        while ((op = timers.peek()) != null && op.value - now <= 0) {
            timers.poll();
            if (op.deadline) {
                timeOut(op);
            } else {
                completions.finish(op, 0);
            }
        }
    }

    /**
     * Withdraws an operation whose deadline has passed. A file operation a pool thread is performing cannot be
     * withdrawn: it stays pending and completes with its real result.
     */
    private void timeOut(Op op) {
        if (op.stage != Op.PENDING || op.canceller == null) {
            return;
        }
        op.canceller.cancel(op);
        if (op.stage == Op.READY && op.result == -AioErrno.ECANCELED) {
            op.result = -AioErrno.ETIMEDOUT;
        }
    }
}
