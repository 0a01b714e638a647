package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.internal.Checks;

/**
 * What every group of {@link UringAioOperations}'s submissions shares: the loop, its operation table, the check
 * that the instance is open, and the hand-over of an operation submitted on another thread to the loop, which
 * replays it ({@link RemoteRequest}). Any thread.
 */
abstract class SubmissionGroup {

    final UringLoop loop;
    final RingOperations ops;

    SubmissionGroup(UringLoop loop) {
        this.loop = loop;
        this.ops = loop.operations();
    }

    /** Misuse: a submission after close throws at once. */
    final void checkOpen() {
        if (loop.isClosing()) {
            throw Checks.closed("uring");
        }
    }

    @SuppressWarnings("unchecked")
    static AioCompletion<Object> erase(AioCompletion<?> completion) {
        return (AioCompletion<Object>) completion;
    }

    /** Any thread but the loop: queues the request for the loop; returns its token at once. */
    final long remote(RemoteRequest request) {
        return loop.inbox().submit(request);
    }
}
