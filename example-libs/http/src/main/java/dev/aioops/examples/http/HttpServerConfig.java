package dev.aioops.examples.http;

import java.util.Objects;

/**
 * Everything {@link StaticFileServer} can be told. Start from {@link #DEFAULTS} and change what you need:
 * {@code HttpServerConfig.DEFAULTS.withMaxConnections(512).withTimeouts(...)}.
 *
 * @param limits            what a request may be (sizes)
 * @param timeouts          how long a client may take
 * @param maxConnections    the most connections served at once; a connection accepted beyond it is answered
 *                          {@code 503} with {@code Retry-After} and closed at once, never queued
 * @param serveDotfiles     whether files and directories whose name starts with a dot ({@code .git},
 *                          {@code .env}) are served; hidden ({@code 404}) by default
 * @param zeroCopyThreshold bodies of at least this many bytes go from the file to the socket without passing
 *                          through the server's buffers ({@code sendFile}); smaller ones are read and written,
 *                          which is cheaper for them. {@link Long#MAX_VALUE} turns zero copy off
 */
public record HttpServerConfig(HttpLimits limits, HttpTimeouts timeouts, int maxConnections, boolean serveDotfiles,
                               long zeroCopyThreshold) {

    /** {@link HttpLimits#DEFAULTS}, {@link HttpTimeouts#DEFAULTS}, 10,000 connections, dotfiles hidden, 64 KiB. */
    public static final HttpServerConfig DEFAULTS = new HttpServerConfig(HttpLimits.DEFAULTS, HttpTimeouts.DEFAULTS,
            10_000, false, 64 * 1024);

    /**
     * Checks the configuration.
     *
     * @throws NullPointerException     if {@code limits} or {@code timeouts} is null
     * @throws IllegalArgumentException if {@code maxConnections} is below 1 or {@code zeroCopyThreshold} is
     *                                  negative
     */
    public HttpServerConfig {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(timeouts, "timeouts");
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1, not " + maxConnections);
        }
        if (zeroCopyThreshold < 0) {
            throw new IllegalArgumentException("zeroCopyThreshold must be >= 0 (Long.MAX_VALUE for never), not "
                    + zeroCopyThreshold);
        }
    }

    /**
     * A copy with other limits.
     *
     * @param limits the new value
     * @return the copy
     */
    public HttpServerConfig withLimits(HttpLimits limits) {
        return new HttpServerConfig(limits, timeouts, maxConnections, serveDotfiles, zeroCopyThreshold);
    }

    /**
     * A copy with other timeouts.
     *
     * @param timeouts the new value
     * @return the copy
     */
    public HttpServerConfig withTimeouts(HttpTimeouts timeouts) {
        return new HttpServerConfig(limits, timeouts, maxConnections, serveDotfiles, zeroCopyThreshold);
    }

    /**
     * A copy with another connection limit.
     *
     * @param maxConnections the new value
     * @return the copy
     */
    public HttpServerConfig withMaxConnections(int maxConnections) {
        return new HttpServerConfig(limits, timeouts, maxConnections, serveDotfiles, zeroCopyThreshold);
    }

    /**
     * A copy with dotfiles served or hidden.
     *
     * @param serveDotfiles the new value
     * @return the copy
     */
    public HttpServerConfig withServeDotfiles(boolean serveDotfiles) {
        return new HttpServerConfig(limits, timeouts, maxConnections, serveDotfiles, zeroCopyThreshold);
    }

    /**
     * A copy with another zero-copy threshold.
     *
     * @param zeroCopyThreshold the new value
     * @return the copy
     */
    public HttpServerConfig withZeroCopyThreshold(long zeroCopyThreshold) {
        return new HttpServerConfig(limits, timeouts, maxConnections, serveDotfiles, zeroCopyThreshold);
    }
}
