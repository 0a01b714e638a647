package dev.aioops.examples.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How long {@link StaticFileServer} waits for a client, each enforced with a deadline on the operation that waits
 * (SPI 2), so that a silent or slow peer costs a bounded time. When one passes the connection is closed: silently
 * between requests, after a {@code 408} in the middle of a request.
 *
 * @param requestHead  from the first byte of a request (or from the accept, for the first one) to the end of its
 *                     head; a client that trickles its head (slowloris) is cut off here
 * @param body         from the end of the head to the end of the body that is read and dropped
 * @param keepAlive    how long a connection may stay idle between requests
 * @param stalledWrite how long one write may make no progress: a client that stops reading is dropped
 */
public record HttpTimeouts(Duration requestHead, Duration body, Duration keepAlive, Duration stalledWrite) {

    /** 20 s for a head, 60 s for a body, 75 s between requests (nginx's keep-alive), 60 s for a stalled write. */
    public static final HttpTimeouts DEFAULTS = new HttpTimeouts(Duration.ofSeconds(20), Duration.ofSeconds(60),
            Duration.ofSeconds(75), Duration.ofSeconds(60));

    /**
     * Checks the timeouts.
     *
     * @throws NullPointerException     if one is null
     * @throws IllegalArgumentException if one is not positive or longer than a day
     */
    public HttpTimeouts {
        check(requestHead, "requestHead");
        check(body, "body");
        check(keepAlive, "keepAlive");
        check(stalledWrite, "stalledWrite");
    }

    private static void check(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(name + " timeout must be positive and at most a day, not "
                    + timeout);
        }
    }
}
