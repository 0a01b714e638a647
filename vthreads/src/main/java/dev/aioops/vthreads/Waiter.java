package dev.aioops.vthreads;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioOperations;

import java.util.concurrent.locks.LockSupport;

/**
 * Where one thread waits for the completion of its current operation: one per thread, reused for each call, and
 * the attachment of the operation, so that a blocking call allocates nothing of its own.
 *
 * <p>A thread has at most one operation pending (it is blocked in it), and a call returns only after that
 * operation's one completion, so a waiter is never woken by an operation of an earlier call.
 */
final class Waiter {

    /** The completion of every blocking call: wakes the waiter it gets as attachment; captures nothing. */
    static final AioCompletion<Object> WAKE = (result, waiter) -> ((Waiter) waiter).wake(result);

    private static final ThreadLocal<Waiter> WAITERS = ThreadLocal.withInitial(Waiter::new);

    private final Thread owner = Thread.currentThread();
    /** Written by the loop before the volatile {@link #done}, read by the owner after it. */
    private int result;
    private volatile boolean done;
    /** Whether the last {@link #await} saw an interrupt (and so cancelled the operation); owner only. */
    private boolean interrupted;

    private Waiter() {
    }

    /**
     * The calling thread's waiter, made ready for one operation.
     *
     * @return the waiter
     */
    static Waiter current() {
        Waiter w = WAITERS.get();
        w.done = false;
        w.interrupted = false;
        return w;
    }

    /** The loop's side: records the result and unparks the owner. */
    private void wake(int r) {
        result = r;
        done = true; // release: the owner that reads done == true sees result
        LockSupport.unpark(owner);
    }

    /**
     * Parks the owner until the operation completes. An interrupt cancels the operation once and keeps waiting
     * for its completion (the buffer is the adapter's until then); the interrupt status is set again on return.
     *
     * @param ops   the operations the operation was submitted to
     * @param token its token
     * @return the operation's result
     */
    int await(AioOperations ops, long token) {
        while (!done) {
            LockSupport.park(this);
            // isInterrupted first: a plain read, where a virtual thread's interrupted() takes a lock every time.
            if (owner.isInterrupted()) {
                Thread.interrupted(); // cleared, or park would return at once (a spin); set again on return
                if (!interrupted) {
                    interrupted = true;
                    ops.cancel(token);
                }
            }
        }
        if (interrupted) {
            owner.interrupt();
        }
        return result;
    }

    /**
     * Whether the last {@link #await} was interrupted.
     *
     * @return {@code true} if it cancelled its operation because of an interrupt
     */
    boolean interrupted() {
        return interrupted;
    }
}
