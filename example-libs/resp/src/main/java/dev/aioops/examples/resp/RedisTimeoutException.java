package dev.aioops.examples.resp;

import java.io.IOException;

/**
 * A command's reply (or the connection itself) did not arrive within its deadline. Since Redis answers in order, a
 * reply that is late leaves the connection's reply order unknown: the client closes the connection and every other
 * pending command fails with this exception as well.
 */
public final class RedisTimeoutException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what timed out, and after how long
     */
    public RedisTimeoutException(String message) {
        super(message);
    }
}
