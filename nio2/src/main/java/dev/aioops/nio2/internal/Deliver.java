package dev.aioops.nio2.internal;

import dev.aioops.spi.AioOperations;

import java.nio.channels.CompletionHandler;

/**
 * Hands a channel operation's outcome to its {@link CompletionHandler} or its {@link PendingFuture}. Outcomes known
 * when the operation starts (a closed channel, nothing to transfer) are handed over on the channel's loop, never on
 * the caller's thread, so that handlers run on the group's threads as the JDK's do.
 */
final class Deliver {

    private Deliver() {
    }

    /**
     * Completes a handler or a future, on the calling thread (a loop).
     *
     * @param handler the handler, or null for the future form
     * @param att     the handler's attachment
     * @param future  the future, when {@code handler} is null
     * @param value   the result, when {@code error} is null
     * @param error   the failure, or null
     */
    static <V, A> void now(CompletionHandler<V, ? super A> handler, A att, PendingFuture<V> future, V value,
                           Throwable error) {
        if (handler != null) {
            if (error == null) {
                handler.completed(value, att);
            } else {
                handler.failed(error, att);
            }
        } else if (error == null) {
            future.complete(value);
        } else {
            future.completeExceptionally(error);
        }
    }

    /**
     * Completes a handler from an aioops completion: on the calling thread when it is {@code ops}'s loop (always, but
     * for an early failure, which an adapter may deliver on the submitting thread), else on that loop.
     *
     * @param ops the channel's aioops instance
     */
    static <V, A> void fromCompletion(AioOperations ops, CompletionHandler<V, ? super A> handler, A att,
                                      PendingFuture<V> future, V value, Throwable error) {
        if (handler == null || ops.inLoop()) {
            now(handler, att, future, value, error);
            return;
        }
        Runnable task = () -> now(handler, att, null, value, error);
        try {
            ops.execute(task);
        } catch (IllegalStateException closed) {
            task.run(); // the instance is closed: no loop is left to run it on
        }
    }

    /**
     * Completes at once, on {@code ops}'s loop: for the future form the returned future is already done.
     *
     * @return the future, or null for the handler form
     */
    static <V, A> PendingFuture<V> soon(AioOperations ops, CompletionHandler<V, ? super A> handler, A att, V value,
                                        Throwable error) {
        if (handler == null) {
            PendingFuture<V> f = new PendingFuture<>((kind, token, interrupt) -> { }, 0);
            now(null, att, f, value, error);
            return f;
        }
        Runnable task = () -> now(handler, att, null, value, error);
        try {
            ops.execute(task);
        } catch (IllegalStateException closed) {
            task.run(); // the instance is closed: no loop is left to run it on
        }
        return null;
    }
}
