package dev.aioops.tck;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A completion that records its first call (result, attachment, thread, whether that thread was the loop) and
 * counts every call, so that a test can wait for the result and prove it came exactly once.
 *
 * <p>Thread-safe: called on the loop, read by the test thread; the recorded values are visible once
 * {@link #await()} returned or {@link #isDone()} returned {@code true}.
 *
 * @param <A> the attachment type
 */
public final class AioCompletionRecorder<A> implements AioCompletion<A> {

    private final AioOperations ops;
    private final CountDownLatch done = new CountDownLatch(1);
    private final AtomicInteger calls = new AtomicInteger();
    private volatile int result;
    private volatile A attachment;
    private volatile Thread thread;
    private volatile boolean inLoop;

    /**
     * A recorder that also notes whether it ran on the loop of {@code ops}.
     *
     * @param ops the instance whose {@link AioOperations#inLoop()} is asked on each call; may be null
     */
    public AioCompletionRecorder(AioOperations ops) {
        this.ops = ops;
    }

    @Override
    public void completed(int result, A attachment) {
        if (calls.incrementAndGet() == 1) {
            this.result = result;
            this.attachment = attachment;
            this.thread = Thread.currentThread();
            this.inLoop = ops != null && ops.inLoop();
            done.countDown();
        }
    }

    /**
     * Waits up to 30 seconds for the completion.
     *
     * @return the result
     * @throws AssertionError if it did not come in time, or came more than once
     */
    public int await() {
        return await(AioContract.WAIT);
    }

    /**
     * Waits for the completion.
     *
     * @param timeout how long to wait
     * @return the result
     * @throws AssertionError if it did not come in time, or came more than once
     */
    public int await(Duration timeout) {
        try {
            if (!done.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("no completion within " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for a completion", e);
        }
        if (calls.get() != 1) {
            throw new AssertionError("completion called " + calls.get() + " times");
        }
        return result;
    }

    /**
     * Whether the completion has been called.
     *
     * @return {@code true} once called
     */
    public boolean isDone() {
        return done.getCount() == 0;
    }

    /**
     * How often the completion has been called; anything but 0 or 1 breaks the contract.
     *
     * @return the number of calls
     */
    public int calls() {
        return calls.get();
    }

    /**
     * The result of the first call.
     *
     * @return the result; meaningful once {@link #isDone()}
     */
    public int result() {
        return result;
    }

    /**
     * The attachment of the first call.
     *
     * @return the attachment; meaningful once {@link #isDone()}
     */
    public A attachment() {
        return attachment;
    }

    /**
     * The thread of the first call.
     *
     * @return the thread, or null before the call
     */
    public Thread thread() {
        return thread;
    }

    /**
     * Whether the first call ran on the loop of the instance given to the constructor.
     *
     * @return {@code true} if {@link AioOperations#inLoop()} said so
     */
    public boolean ranInLoop() {
        return inLoop;
    }

    /**
     * A result in words for assertion messages: {@code "-ENOENT (No such file or directory)"} or the number.
     *
     * @param result a completion result
     * @return the description
     */
    public static String describe(int result) {
        return result >= 0 ? Integer.toString(result)
                : "-" + AioErrno.name(result) + " (" + AioErrno.description(result) + ")";
    }

    @Override
    public String toString() {
        return "AioCompletionRecorder[calls=" + calls.get() + (isDone() ? ", result=" + describe(result) : "") + "]";
    }
}
