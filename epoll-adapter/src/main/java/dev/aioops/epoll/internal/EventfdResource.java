package dev.aioops.epoll.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An emulated eventfd: a 64-bit unsigned counter with the rules of {@code eventfd(2)}. Any thread adds to it;
 * the loop takes it. A signal from another thread queues this resource in the loop's inbox at most once
 * until the loop has looked at it ({@link #notifyQueued}), so a burst of signals costs one message.
 */
final class EventfdResource extends Resource {

    /** The largest counter value, as in Linux: {@code 0xfffffffffffffffe}. */
    static final long MAX = 0xffff_ffff_ffff_fffeL;

    final AtomicLong counter;
    final AtomicBoolean notifyQueued = new AtomicBoolean();
    /** Reads waiting for a non-zero counter. Loop-confined. */
    final OpList readers = new OpList();

    EventfdResource(long initialValue) {
        this.counter = new AtomicLong(initialValue);
    }

    /**
     * Adds to the counter unless that would pass {@link #MAX}. Any thread.
     *
     * @param n the amount, as an unsigned value
     * @return {@code true} if added
     */
    boolean add(long n) {
        while (true) {
            long current = counter.get();
            long next = current + n;
            if (Long.compareUnsigned(next, current) < 0 || Long.compareUnsigned(next, MAX) > 0) {
                return false;
            }
            if (counter.compareAndSet(current, next)) {
                return true;
            }
        }
    }

    /**
     * Takes the whole counter, leaving 0.
     *
     * @return the value taken, 0 if there was none
     */
    long take() {
        return counter.get() == 0 ? 0 : counter.getAndSet(0);
    }
}
