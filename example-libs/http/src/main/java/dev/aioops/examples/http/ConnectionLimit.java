package dev.aioops.examples.http;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The count of connections being served against {@link HttpServerConfig#maxConnections()}: one per
 * {@link StaticFileServer}, or one shared by the servers of every loop of a {@link GroupFileServer}, so that the
 * limit holds for the whole group. Any thread.
 */
final class ConnectionLimit {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionLimit(int max) {
        this.max = max;
    }

    /** Takes a place, or says that none is left. */
    boolean tryAcquire() {
        while (true) {
            int now = open.get();
            if (now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** Gives a place back, once per successful {@link #tryAcquire}. */
    void release() {
        open.decrementAndGet();
    }

    /** The places taken. */
    int open() {
        return open.get();
    }
}
