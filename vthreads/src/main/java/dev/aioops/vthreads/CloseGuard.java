package dev.aioops.vthreads;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;

/**
 * Keeps {@link AioBlocking#close} from releasing a descriptor while another thread of the same facade is inside a
 * direct {@code send}/{@code recv} on it (which would then reach whatever file or socket gets the number next).
 *
 * <p>Handles hash to {@value #STRIPES} stripes, each one word: the low {@value #USER_BITS} bits count the threads
 * inside a direct call, the bits above count the closes under way on the stripe. A direct call enters only while no
 * close is under way on its stripe (else its operation goes to the loop, as without this path); a close first
 * stops new entries on its stripe, then waits until those inside have left — each is in one system call that does
 * not wait — and only then submits the close. Stripes are 64 bytes apart so that the carriers do not share a line.
 */
final class CloseGuard {

    private static final int STRIPES = 64;
    /** Longs per stripe: one cache line. */
    private static final int STRIDE = 8;
    private static final int USER_BITS = 31;
    private static final long USERS = (1L << USER_BITS) - 1;
    private static final long CLOSER = 1L << USER_BITS;

    private final AtomicLongArray words = new AtomicLongArray(STRIPES * STRIDE);

    private static int index(int handle) {
        int h = handle * 0x9E3779B9; // spreads the handle's low bits (the descriptor number) over the stripes
        return (h >>> 26) * STRIDE;
    }

    /**
     * Begins a direct call on {@code handle}.
     *
     * @return false while a close is under way on its stripe: then the caller goes to the loop
     */
    boolean enter(int handle) {
        int i = index(handle);
        while (true) {
            long w = words.get(i);
            if (w >= CLOSER || (w & USERS) == USERS) {
                return false;
            }
            if (words.compareAndSet(i, w, w + 1)) {
                return true;
            }
        }
    }

    /** Ends a direct call begun by a successful {@link #enter}. */
    void exit(int handle) {
        words.getAndDecrement(index(handle));
    }

    /** Stops new direct calls on {@code handle}'s stripe and waits until those inside have left. */
    void closing(int handle) {
        int i = index(handle);
        words.getAndAdd(i, CLOSER);
        for (int spins = 0; (words.get(i) & USERS) != 0; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                // A thread inside was descheduled by the OS in its system call: leave the carrier meanwhile.
                LockSupport.parkNanos(Math.min(1_000_000L, 10_000L << Math.min(spins - 100, 7)));
            }
        }
    }

    /** Lets direct calls in again after {@link #closing}, once the close has completed. */
    void closed(int handle) {
        words.getAndAdd(index(handle), -CLOSER);
    }
}
