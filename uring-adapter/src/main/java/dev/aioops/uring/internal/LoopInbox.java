package dev.aioops.uring.internal;

import dev.aioops.spi.internal.Checks;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How other threads reach the loop: submissions ({@link RemoteRequest}), cancels ({@link CancelRequest}) and tasks
 * go through a lock-free MPSC queue, and the producer wakes the loop if it sleeps ({@link LoopWakeup}: at most one
 * eventfd write per sleep). A producer counts itself while it offers, so that close never frees the queue's consumer
 * or the wake-up eventfd under it: close waits for the count to drop ({@link #awaitProducers}).
 *
 * <p><b>Threads.</b> {@link #submit}, {@link #post} and {@link #asProducer} on any thread but the loop;
 * {@link #drain} on the loop.
 */
final class LoopInbox {

    /** The top bit marks the token of a cross-thread submission; its slot is known only on the loop. */
    private static final long REMOTE_TOKEN = Long.MIN_VALUE;
    /** Messages run per turn at most, so that a flood from other threads does not starve I/O. */
    private static final int BATCH = 4096;

    private final UringLoop loop;
    private final MpscUnboundedAtomicArrayQueue<Object> queue = new MpscUnboundedAtomicArrayQueue<>(1024);
    private final AtomicInteger producers = new AtomicInteger();
    private final AtomicLong remoteTokens = new AtomicLong();

    LoopInbox(UringLoop loop) {
        this.loop = loop;
    }

    /**
     * Hands a submission to the loop, which replays it with the token returned here.
     *
     * @return the token the submitter gets at once
     * @throws IllegalStateException if the instance is closed
     */
    long submit(RemoteRequest request) {
        request.token = REMOTE_TOKEN | remoteTokens.incrementAndGet();
        post(request, true);
        return request.token;
    }

    /**
     * Hands a message to the loop and wakes it if it sleeps.
     *
     * @param strict throw if closed (submissions, tasks), else drop the message silently (cancels)
     */
    void post(Object message, boolean strict) {
        producers.incrementAndGet();
        try {
            if (loop.isClosing()) {
                if (strict) {
                    throw Checks.closed("uring");
                }
                return;
            }
            queue.offer(message);
            loop.wakeup().wake();
        } finally {
            producers.decrementAndGet();
        }
    }

    /** Runs {@code action} counted as a producer, so that close does not free the wake-up eventfd under it. */
    void asProducer(Runnable action) {
        producers.incrementAndGet();
        try {
            action.run();
        } finally {
            producers.decrementAndGet();
        }
    }

    /** Loop, closing: waits for the producers that saw the instance open to finish their offer. */
    void awaitProducers() {
        for (int spins = 0; producers.get() != 0; spins++) {
            UringLoop.backOff(spins);
        }
    }

    /** Whether nothing waits in the queue (any thread; a hint for the loop's sleep decision). */
    boolean isEmpty() {
        return queue.isEmpty();
    }

    /**
     * Loop: runs what other threads sent, at most {@link #BATCH} messages.
     *
     * @return messages run
     */
    int drain() {
        int n = 0;
        Object message;
        // Single consumer: a relaxed poll may miss an offer still in progress; the loop sees it before it sleeps,
        // as isEmpty() counts it.
        while (!loop.isDone() && n < BATCH && (message = queue.relaxedPoll()) != null) {
            n++;
            switch (message) {
                case Runnable task -> loop.runTask(task);
                case RemoteRequest request -> request.replay(loop);
                case CancelRequest cancel -> loop.operations().cancel(cancel.token());
                default -> throw new IllegalStateException("unexpected message " + message);
            }
        }
        return n;
    }
}
