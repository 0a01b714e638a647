package dev.aioops.nio2.internal;

import java.util.concurrent.CompletableFuture;

/**
 * The {@link java.util.concurrent.Future} of a channel operation started in its future form. {@link #cancel}
 * cancels the aioops operation and tells the channel, which then refuses further reads or writes as the JDK's
 * channels do ("not allowed due to timeout or cancellation"), and closes itself when asked to interrupt.
 *
 * @param <V> the result type
 */
final class PendingFuture<V> extends CompletableFuture<V> {

    /** What a channel does when one of its futures is cancelled. */
    interface Owner {
        /**
         * Called once when a future of {@code kind} is cancelled.
         *
         * @param kind      the operation kind the channel gave
         * @param token     the aioops token, or 0 when not submitted yet
         * @param interrupt the {@code mayInterruptIfRunning} argument
         */
        void cancelled(int kind, long token, boolean interrupt);
    }

    private final Owner owner;
    private final int kind;
    private volatile long token;

    PendingFuture(Owner owner, int kind) {
        this.owner = owner;
        this.kind = kind;
    }

    /** Records the operation's token; cancels it at once if the future was cancelled before. */
    void submitted(long t) {
        token = t;
        if (isCancelled()) {
            owner.cancelled(kind, t, false);
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            owner.cancelled(kind, token, mayInterruptIfRunning);
        }
        return cancelled;
    }
}
