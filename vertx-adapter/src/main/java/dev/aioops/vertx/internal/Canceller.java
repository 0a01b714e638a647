package dev.aioops.vertx.internal;

/** Something that holds pending operations and can withdraw one of them before it finishes. Loop thread only. */
interface Canceller {

    /**
     * Withdraws a pending operation.
     *
     * @param op the operation
     * @return {@code true} if it was withdrawn and must now complete with {@code -ECANCELED}; {@code false} if it
     *         is already under way and its real result will come
     */
    boolean cancel(Op op);
}
