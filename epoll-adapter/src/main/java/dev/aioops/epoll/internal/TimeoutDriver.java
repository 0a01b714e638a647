package dev.aioops.epoll.internal;

import dev.aioops.spi.AioErrno;

/**
 * Timeouts: a pending timeout waits in a {@link TimerHeap} until the loop, after each wait, expires those whose
 * deadline has passed; the loop never sleeps past the earliest deadline. Loop-confined, but for
 * {@link #deadline}.
 */
final class TimeoutDriver implements OpCanceller {

    private final TimerHeap timers = new TimerHeap();
    private final CompletionQueue completions;

    TimeoutDriver(CompletionQueue completions) {
        this.completions = completions;
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
            completions.finish(op, 0);
        }
    }
}
