package dev.aioops.examples.resp;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Pub/sub on a {@link RedisClient}'s connection ({@link RedisClient#pubSub()}), in RESP2 and RESP3: subscriptions
 * to channels, patterns and shard channels, and the listener that receives their messages and every other
 * out-of-band message. Any thread; futures and the listener run on the loop.
 */
public final class RedisPubSub {

    private final RedisClient client;
    private final Subscriptions subscriptions;

    RedisPubSub(RedisClient client, Subscriptions subscriptions) {
        this.client = client;
        this.subscriptions = subscriptions;
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
        subscriptions.listener(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * {@code SUBSCRIBE channel...}: messages arrive at {@link #onPush}. In RESP2 the connection is then in pub/sub
     * mode: until it unsubscribes from everything, Redis refuses commands but (un)subscribe and {@code PING} (with
     * an error reply); in RESP3 ({@link RedisClientConfig#protocol()} 3) it serves commands as well.
     *
     * @param channels at least one channel
     * @return completes when Redis has confirmed every channel, or fails as a command does (the command timeout
     *         applies)
     * @throws IllegalArgumentException if there is no channel
     */
    public CompletableFuture<Void> subscribe(String... channels) {
        return client.subscription("subscribe", channels);
    }

    /**
     * {@code PSUBSCRIBE pattern...}, as {@link #subscribe}; messages are {@code pmessage}.
     *
     * @param patterns at least one glob-style pattern
     * @return completes when Redis has confirmed every pattern
     */
    public CompletableFuture<Void> psubscribe(String... patterns) {
        return client.subscription("psubscribe", patterns);
    }

    /**
     * {@code SSUBSCRIBE shardchannel...} (Redis 7), as {@link #subscribe}; messages are {@code smessage}.
     *
     * @param channels at least one shard channel
     * @return completes when Redis has confirmed every channel
     */
    public CompletableFuture<Void> ssubscribe(String... channels) {
        return client.subscription("ssubscribe", channels);
    }

    /**
     * {@code UNSUBSCRIBE channel...}.
     *
     * @param channels at least one channel
     * @return completes when Redis has confirmed every channel
     */
    public CompletableFuture<Void> unsubscribe(String... channels) {
        return client.subscription("unsubscribe", channels);
    }

    /**
     * {@code PUNSUBSCRIBE pattern...}.
     *
     * @param patterns at least one pattern
     * @return completes when Redis has confirmed every pattern
     */
    public CompletableFuture<Void> punsubscribe(String... patterns) {
        return client.subscription("punsubscribe", patterns);
    }

    /**
     * {@code SUNSUBSCRIBE shardchannel...}.
     *
     * @param channels at least one shard channel
     * @return completes when Redis has confirmed every channel
     */
    public CompletableFuture<Void> sunsubscribe(String... channels) {
        return client.subscription("sunsubscribe", channels);
    }
}
