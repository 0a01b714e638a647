package dev.aioops.epoll.internal;

/**
 * A driver that keeps started operations pending and can withdraw one. The driver sets {@link Op#canceller} to
 * itself when it keeps an operation waiting (in a socket's queue, the file pool, the timer heap); a cancel, by
 * token or of everything at close, goes to that driver and nowhere else, so a new kind of operation needs no
 * cancel routing of its own. Loop-confined.
 */
interface OpCanceller {

    /**
     * Withdraws a pending operation this driver holds: it completes with {@code -ECANCELED}, or, if it can no
     * longer be stopped (a file operation a pool thread is performing), later with its real result.
     *
     * @param op a pending operation whose {@link Op#canceller} is this driver
     */
    void cancel(Op op);
}
