package dev.aioops.examples.resp;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RedisClient} connects and how long it waits. Start from {@link #DEFAULTS}.
 *
 * @param limits         bounds on what the server may send
 * @param connectTimeout how long the connection may take to establish
 * @param commandTimeout how long a command waits for its reply unless the call gives its own deadline
 * @param protocol       2 for RESP2, or 3 for RESP3: the connection starts with {@code HELLO 3} (which also
 *                       carries the URI's {@code AUTH} and name), replies come as RESP3 types, and pub/sub
 *                       messages arrive as pushes on a connection that still serves commands
 */
public record RedisClientConfig(RespLimits limits, Duration connectTimeout, Duration commandTimeout, int protocol) {

    /** {@link RespLimits#DEFAULTS}, a 10 s connect timeout, a 60 s command timeout (as Lettuce's), RESP2. */
    public static final RedisClientConfig DEFAULTS = new RedisClientConfig(RespLimits.DEFAULTS,
            Duration.ofSeconds(10), Duration.ofSeconds(60), 2);

    /**
     * Checks the configuration.
     *
     * @throws NullPointerException     if a component is null
     * @throws IllegalArgumentException if a timeout is not positive or longer than a day, or the protocol is
     *                                  neither 2 nor 3
     */
    public RedisClientConfig {
        Objects.requireNonNull(limits, "limits");
        if (protocol != 2 && protocol != 3) {
            throw new IllegalArgumentException("the protocol is 2 (RESP2) or 3 (RESP3), not " + protocol);
        }
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
        return new RedisClientConfig(limits, connectTimeout, commandTimeout, protocol);
    }

    /**
     * A copy with another connect timeout.
     *
     * @param connectTimeout the new timeout
     * @return the copy
     */
    public RedisClientConfig withConnectTimeout(Duration connectTimeout) {
        return new RedisClientConfig(limits, connectTimeout, commandTimeout, protocol);
    }

    /**
     * A copy with another default command timeout.
     *
     * @param commandTimeout the new timeout
     * @return the copy
     */
    public RedisClientConfig withCommandTimeout(Duration commandTimeout) {
        return new RedisClientConfig(limits, connectTimeout, commandTimeout, protocol);
    }

    /**
     * A copy with another protocol.
     *
     * @param protocol 2 or 3
     * @return the copy
     */
    public RedisClientConfig withProtocol(int protocol) {
        return new RedisClientConfig(limits, connectTimeout, commandTimeout, protocol);
    }
}
