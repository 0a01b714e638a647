package dev.aioops.vertx.internal;

/**
 * An open handle of one instance: a file, a socket, a listener or an eventfd. Created, used and closed on the
 * loop; {@link #id} and {@link #isClosed()} may be read from any thread.
 */
abstract class AioHandle {

    /** The handle number given to the library, set once by {@link HandleTable#add}. */
    volatile int id = -1;
    private volatile boolean closed;

    /**
     * Loop: completes every pending operation of this handle with {@code -ECANCELED}, then releases it and runs
     * {@code released} (possibly later, once the operations under way have finished).
     *
     * @param released run once the underlying resource is released
     */
    abstract void close(Runnable released);

    /** Marks the handle closed for the threads that look at it without the loop. */
    final void markClosed() {
        closed = true;
    }

    final boolean isClosed() {
        return closed;
    }
}
