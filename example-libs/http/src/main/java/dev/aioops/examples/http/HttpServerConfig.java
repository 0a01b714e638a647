package dev.aioops.examples.http;

import java.time.Duration;
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
 * @param openFileCache     how long an opened file's handle and metadata serve the requests for its path (nginx's
 *                          {@code open_file_cache_valid}), at most 1,000 files at once; {@link Duration#ZERO}, the
 *                          default, opens and stats the file for every request. While an entry is valid, a file
 *                          replaced on disk is still served in its old version (see {@link #withOpenFileCache})
 */
public record HttpServerConfig(HttpLimits limits, HttpTimeouts timeouts, int maxConnections, boolean serveDotfiles,
                               long zeroCopyThreshold, Duration openFileCache) {

    /**
     * {@link HttpLimits#DEFAULTS}, {@link HttpTimeouts#DEFAULTS}, 10,000 connections, dotfiles hidden, 64 KiB, no
     * open-file cache.
     */
    public static final HttpServerConfig DEFAULTS = new HttpServerConfig(HttpLimits.DEFAULTS, HttpTimeouts.DEFAULTS,
            10_000, false, 64 * 1024, Duration.ZERO);

    /**
     * Checks the configuration.
     *
     * @throws NullPointerException     if {@code limits}, {@code timeouts} or {@code openFileCache} is null
     * @throws IllegalArgumentException if {@code maxConnections} is below 1, or {@code zeroCopyThreshold} or
     *                                  {@code openFileCache} is negative
     */
    public HttpServerConfig {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(openFileCache, "openFileCache");
        if (openFileCache.isNegative()) {
            throw new IllegalArgumentException("openFileCache must be >= 0 (Duration.ZERO for none), not "
                    + openFileCache);
        }
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
        return new HttpServerConfig(limits, timeouts, maxConnections, serveDotfiles, zeroCopyThreshold, openFileCache);
    }

    /**
     * A copy with other timeouts.
     *
     * @param timeouts the new value
     * @return the copy
     */
    public HttpServerConfig withTimeouts(HttpTimeouts timeouts) {
        return new HttpServerConfig(limits, timeouts, maxConnections, serveDotfiles, zeroCopyThreshold, openFileCache);
    }

    /**
     * A copy with another connection limit.
     *
     * @param maxConnections the new value
     * @return the copy
     */
    public HttpServerConfig withMaxConnections(int maxConnections) {
        return new HttpServerConfig(limits, timeouts, maxConnections, serveDotfiles, zeroCopyThreshold, openFileCache);
    }

    /**
     * A copy with dotfiles served or hidden.
     *
     * @param serveDotfiles the new value
     * @return the copy
     */
    public HttpServerConfig withServeDotfiles(boolean serveDotfiles) {
        return new HttpServerConfig(limits, timeouts, maxConnections, serveDotfiles, zeroCopyThreshold, openFileCache);
    }

    /**
     * A copy with another zero-copy threshold.
     *
     * @param zeroCopyThreshold the new value
     * @return the copy
     */
    public HttpServerConfig withZeroCopyThreshold(long zeroCopyThreshold) {
        return new HttpServerConfig(limits, timeouts, maxConnections, serveDotfiles, zeroCopyThreshold, openFileCache);
    }

    /**
     * A copy with an open-file cache: a file opened for a request serves the requests for its path, without another
     * open, stat and close, for {@code validity} after its open (nginx's {@code open_file_cache} with
     * {@code open_file_cache_valid}). Meanwhile a file replaced on disk (renamed over) is still served in its old
     * version, and a file rewritten in place may no longer match the length its cached metadata gives (the
     * connection is then dropped, as for any file that shrinks while it is sent): for content that changes only
     * by deployment, not for files written while they are served.
     *
     * @param validity how long an entry serves; {@link Duration#ZERO} turns the cache off
     * @return the copy
     */
    public HttpServerConfig withOpenFileCache(Duration validity) {
        return new HttpServerConfig(limits, timeouts, maxConnections, serveDotfiles, zeroCopyThreshold, validity);
    }
}
