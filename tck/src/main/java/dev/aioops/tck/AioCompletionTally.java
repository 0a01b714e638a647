package dev.aioops.tck;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioOperations;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Counts the completions of many operations, each identified by an {@link Integer} attachment from 0 to
 * {@code size - 1}: records each one's first result, counts duplicate calls, calls off the loop and calls
 * that came after {@link #markClosed()}.
 *
 * <p>Thread-safe; the completion may be called from any thread (which is what it checks).
 */
public final class AioCompletionTally implements AioCompletion<Integer> {

    private final AioOperations ops;
    private final AtomicIntegerArray calls;
    private final int[] results;
    private final CountDownLatch remaining;
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger offLoop = new AtomicInteger();
    private final AtomicInteger late = new AtomicInteger();
    private volatile boolean closed;

    /**
     * A tally for {@code size} operations of {@code ops}.
     *
     * @param ops  the instance whose loop the completions must run on
     * @param size how many operations, with attachments 0 to {@code size - 1}
     */
    public AioCompletionTally(AioOperations ops, int size) {
        this.ops = ops;
        this.calls = new AtomicIntegerArray(size);
        this.results = new int[size];
        this.remaining = new CountDownLatch(size);
    }

    @Override
    public void completed(int result, Integer index) {
        if (closed) {
            late.incrementAndGet();
        }
        if (!ops.inLoop()) {
            offLoop.incrementAndGet();
        }
        if (calls.incrementAndGet(index) == 1) {
            results[index] = result;
            // The latch publishes results[index] to the thread that awaits.
            remaining.countDown();
        } else {
            duplicates.incrementAndGet();
        }
    }

    /**
     * Waits until every operation has completed.
     *
     * @param timeout how long to wait
     * @return {@code true} if all completed in time
     */
    public boolean await(Duration timeout) {
        try {
            return remaining.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Waits until every operation has completed, failing the test if that takes longer than 30 seconds.
     */
    public void await() {
        if (!await(AioContract.WAIT)) {
            throw new AssertionError(pending() + " of " + results.length + " operations did not complete within "
                    + AioContract.WAIT);
        }
    }

    /**
     * How many operations have not completed yet.
     *
     * @return the count
     */
    public long pending() {
        return remaining.getCount();
    }

    /**
     * The first result of one operation.
     *
     * @param index its attachment
     * @return the result; meaningful once it completed
     */
    public int result(int index) {
        return results[index];
    }

    /**
     * How often one operation's completion was called.
     *
     * @param index its attachment
     * @return the number of calls
     */
    public int calls(int index) {
        return calls.get(index);
    }

    /**
     * How many calls beyond the first there were, over all operations.
     *
     * @return the count; 0 when the contract holds
     */
    public int duplicates() {
        return duplicates.get();
    }

    /**
     * How many calls ran on a thread that was not the loop.
     *
     * @return the count; 0 when the contract holds
     */
    public int offLoop() {
        return offLoop.get();
    }

    /**
     * Notes that {@link AioOperations#close()} has returned: any call from now on is counted by {@link #late()}.
     */
    public void markClosed() {
        closed = true;
    }

    /**
     * How many calls came after {@link #markClosed()}.
     *
     * @return the count; 0 when the contract holds
     */
    public int late() {
        return late.get();
    }

    /**
     * How many operations there are.
     *
     * @return the size
     */
    public int size() {
        return results.length;
    }
}
