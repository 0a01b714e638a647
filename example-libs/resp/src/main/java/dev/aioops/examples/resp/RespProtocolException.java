package dev.aioops.examples.resp;

import java.io.IOException;
import java.io.Serial;

/**
 * The server sent something that is not RESP2, or exceeds {@link RespLimits}. The connection cannot be trusted
 * after it: {@link RedisClient} closes it and fails every pending command with this exception.
 */
public final class RespProtocolException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was wrong, and where
     */
    public RespProtocolException(String message) {
        super(message);
    }
}
