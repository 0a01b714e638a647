package dev.aioops.examples.resp;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Pub/sub on a {@link RedisClient}'s connection ({@link RedisClient#pubSub()}) or on the connections of a
 * {@link ReconnectingRedisClient} ({@link ReconnectingRedisClient#pubSub()}), in RESP2 and RESP3: subscriptions
 * to channels, patterns and shard channels, and the listener that receives their messages and every other
 * out-of-band message. Any thread; futures and the listener run on the loop.
 *
 * <p>On a {@link ReconnectingRedisClient}, what Redis had confirmed is subscribed again on each new connection, as
 * Lettuce does, and the same listener goes on receiving; messages published while the client was disconnected are
 * lost (Redis pub/sub delivers at most once). {@link ReconnectingRedisClient#onReconnect} tells when that gap ends.
 */
public final class RedisPubSub {

    private final BiFunction<String, String[], CompletableFuture<Void>> subscription;
    private final Consumer<Consumer<RespValue.Push>> listener;

    /**
     * @param subscription sends a (un)subscribe command of a kind ({@code "psubscribe"}...) for its channels
     * @param listener     installs the listener of out-of-band messages
     */
    RedisPubSub(BiFunction<String, String[], CompletableFuture<Void>> subscription,
                Consumer<Consumer<RespValue.Push>> listener) {
        this.subscription = subscription;
        this.listener = listener;
    }

    /**
     * Sets the listener of out-of-band messages: pub/sub messages ({@code message}, {@code pmessage},
     * {@code smessage}), client-side caching invalidations ({@code invalidate}, RESP3) and any other RESP3 push;
     * not the (un)subscribe confirmations, which complete their futures. It runs on the loop, one message at a time,
     * in the order received: keep it short. Any thread; replaces the previous listener.
     *
     * @param listener takes each message
     * @throws NullPointerException if it is null
     */
    public void onPush(Consumer<RespValue.Push> listener) {
        this.listener.accept(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * {@code SUBSCRIBE channel...}: messages arrive at {@link #onPush}. In RESP2 the connection is then in pub/sub
     * mode: until it unsubscribes from everything, Redis refuses commands but (un)subscribe and {@code PING} (with
     * an error reply); in RESP3 ({@link RedisClientConfig#protocol()} 3) it serves commands as well.
     *
     * @param channels at least one channel
     * @return completes when Redis has confirmed every channel; fails with a {@link RedisCommandException} when
     *         Redis refuses the command as a whole ({@code NOPERM} for a channel the ACL user may not use, an
     *         unknown {@code SSUBSCRIBE} before Redis 7), the connection carrying on; or fails as a command does when
     *         the connection fails (the command timeout applies)
     * @throws IllegalArgumentException if there is no channel
     */
    public CompletableFuture<Void> subscribe(String... channels) {
        return subscription.apply("subscribe", channels);
    }

    /**
     * {@code PSUBSCRIBE pattern...}, as {@link #subscribe}; messages are {@code pmessage}.
     *
     * @param patterns at least one glob-style pattern
     * @return completes when Redis has confirmed every pattern
     */
    public CompletableFuture<Void> psubscribe(String... patterns) {
        return subscription.apply("psubscribe", patterns);
    }

    /**
     * {@code SSUBSCRIBE shardchannel...} (Redis 7), as {@link #subscribe}; messages are {@code smessage}.
     *
     * @param channels at least one shard channel
     * @return completes when Redis has confirmed every channel
     */
    public CompletableFuture<Void> ssubscribe(String... channels) {
        return subscription.apply("ssubscribe", channels);
    }

    /**
     * {@code UNSUBSCRIBE channel...}.
     *
     * @param channels at least one channel
     * @return completes when Redis has confirmed every channel
     */
    public CompletableFuture<Void> unsubscribe(String... channels) {
        return subscription.apply("unsubscribe", channels);
    }

    /**
     * {@code PUNSUBSCRIBE pattern...}.
     *
     * @param patterns at least one pattern
     * @return completes when Redis has confirmed every pattern
     */
    public CompletableFuture<Void> punsubscribe(String... patterns) {
        return subscription.apply("punsubscribe", patterns);
    }

    /**
     * {@code SUNSUBSCRIBE shardchannel...}.
     *
     * @param channels at least one shard channel
     * @return completes when Redis has confirmed every channel
     */
    public CompletableFuture<Void> sunsubscribe(String... channels) {
        return subscription.apply("sunsubscribe", channels);
    }
}
