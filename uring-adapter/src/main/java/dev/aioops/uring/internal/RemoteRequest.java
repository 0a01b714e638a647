package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.internal.ErrnoMapping;

import java.lang.foreign.MemorySegment;

/**
 * A submission made on a thread other than the loop: carried through the inbox and replayed on the loop with the
 * token the submitter was already given. Its arguments travel in a few generic fields so that each operation's
 * {@link Replay} is a lambda that captures nothing (one constant per operation): a cross-thread submission allocates
 * this request and nothing else.
 */
final class RemoteRequest {

    /** How an operation is submitted on the loop from a request's fields; a non-capturing lambda. */
    @FunctionalInterface
    interface Replay {
        /**
         * Submits the request's operation.
         *
         * @param operations the loop's operations
         * @param request    the request, with its token set
         * @return the token (the request's)
         */
        long submit(RingOperations operations, RemoteRequest request);
    }

    final Replay replay;
    final int handle;
    final MemorySegment buffer;
    final long value;
    /** The deadline of an operation that has one ({@link RingDeadlines}), else 0. */
    final long timeoutNanos;
    final Object argument;
    final Object attachment;
    final AioCompletion<Object> completion;
    long token;

    RemoteRequest(Replay replay, int handle, MemorySegment buffer, long value, Object argument, Object attachment,
                  AioCompletion<Object> completion) {
        this(replay, handle, buffer, value, 0, argument, attachment, completion);
    }

    RemoteRequest(Replay replay, int handle, MemorySegment buffer, long value, long timeoutNanos, Object argument,
                  Object attachment, AioCompletion<Object> completion) {
        this.replay = replay;
        this.timeoutNanos = timeoutNanos;
        this.handle = handle;
        this.buffer = buffer;
        this.value = value;
        this.argument = argument;
        this.attachment = attachment;
        this.completion = completion;
    }

    /** Loop: submits the operation as if the loop had been called, or completes it with -ECANCELED when closing. */
    void replay(UringLoop loop) {
        if (loop.isClosing()) {
            loop.counters().submitted(); // accepted before close: counted as every other operation
            loop.invoke(completion, -AioErrno.ECANCELED, attachment);
            return;
        }
        try {
            replay.submit(loop.operations(), this);
        } catch (RuntimeException | OutOfMemoryError failed) {
            // Nobody waits on this call: what the submission threw must become the operation's result, or the
            // operation would be lost, and the throw would end the loop. The operation had not reached the ring
            // (an op is published last), so it completes here, once.
            loop.report(failed);
            loop.completeLater(completion, ErrnoMapping.result(failed), attachment);
        }
    }
}
