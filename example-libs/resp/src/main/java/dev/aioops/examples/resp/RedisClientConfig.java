package dev.aioops.examples.resp;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RedisClient} connects and how long it waits. Start from {@link #DEFAULTS}.
 *
 * @param limits         bounds on what the server may send
 * @param connectTimeout how long the connection may take to establish
 * @param commandTimeout how long a command waits for its reply unless the call gives its own deadline
 */
public record RedisClientConfig(RespLimits limits, Duration connectTimeout, Duration commandTimeout) {

    /** {@link RespLimits#DEFAULTS}, a 10 s connect timeout and a 60 s command timeout (as Lettuce's). */
    public static final RedisClientConfig DEFAULTS = new RedisClientConfig(RespLimits.DEFAULTS,
            Duration.ofSeconds(10), Duration.ofSeconds(60));

    /**
     * Checks the configuration.
     *
     * @throws NullPointerException     if a component is null
     * @throws IllegalArgumentException if a timeout is not positive or longer than a day
     */
    public RedisClientConfig {
        Objects.requireNonNull(limits, "limits");
        RedisClient.checkTimeout(connectTimeout, "connectTimeout");
        RedisClient.checkTimeout(commandTimeout, "commandTimeout");
    }

    /**
     * A copy with other limits.
     *
     * @param limits the new limits
     * @return the copy
     */
    public RedisClientConfig withLimits(RespLimits limits) {
        return new RedisClientConfig(limits, connectTimeout, commandTimeout);
    }

    /**
     * A copy with another connect timeout.
     *
     * @param connectTimeout the new timeout
     * @return the copy
     */
    public RedisClientConfig withConnectTimeout(Duration connectTimeout) {
        return new RedisClientConfig(limits, connectTimeout, commandTimeout);
    }

    /**
     * A copy with another default command timeout.
     *
     * @param commandTimeout the new timeout
     * @return the copy
     */
    public RedisClientConfig withCommandTimeout(Duration commandTimeout) {
        return new RedisClientConfig(limits, connectTimeout, commandTimeout);
    }
}
