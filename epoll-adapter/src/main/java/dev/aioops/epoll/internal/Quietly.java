package dev.aioops.epoll.internal;

import java.io.Closeable;
import java.io.IOException;

/** Closing what is being given up, where a failure to close has no one to tell. */
final class Quietly {

    private Quietly() {
    }

    /**
     * Closes a channel or selector, ignoring a failure: the handle is gone either way.
     *
     * @param c what to close, or null
     */
    static void close(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // Nothing to report: the handle is gone either way.
            }
        }
    }
}
