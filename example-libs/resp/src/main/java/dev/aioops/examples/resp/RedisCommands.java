package dev.aioops.examples.resp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The typed API of a {@link RedisClient} ({@link RedisClient#async()}): strings, counters, keys with expiry,
 * hashes, lists, sets and sorted sets, each returning a {@link CompletionStage} of Java types, and transactions
 * ({@link #multi()}). Text is UTF-8. An error reply fails the stage with a {@link RedisCommandException} (the
 * connection stays usable); a connection failure fails it as {@link RedisClient#command} does. Any thread; the
 * stages complete on the loop.
 */
public final class RedisCommands {

    private final CommandChannel client;

    RedisCommands(CommandChannel client) {
        this.client = client;
    }

    /** Options of {@link #set(String, String, SetOption...)}. */
    public enum SetOption {
        /** Only if the key does not exist ({@code NX}). */
        IF_ABSENT("NX"),
        /** Only if the key exists ({@code XX}). */
        IF_PRESENT("XX"),
        /** Keep the key's time to live ({@code KEEPTTL}). */
        KEEP_TTL("KEEPTTL");

        private final String word;

        SetOption(String word) {
            this.word = word;
        }
    }

    static <T> CompletionStage<T> map(CompletableFuture<RespValue> reply, Function<RespValue, T> convert) {
        return reply.thenApply(value -> {
            RespValue plain = value instanceof RespValue.Attributed attributed ? attributed.value() : value;
            if (plain instanceof RespValue.Error error) {
                throw new RedisCommandException(error);
            }
            return convert.apply(plain);
        });
    }

    private <T> CompletionStage<T> run(Function<RespValue, T> convert, String... args) {
        return map(client.command(args), convert);
    }

    private static String text(RespValue value) {
        return value.asString();
    }

    private static Long number(RespValue value) {
        return value.asLong();
    }

    private static Boolean flag(RespValue value) {
        return value.asLong() != 0;
    }

    private static List<String> texts(RespValue value) {
        List<RespValue> elements = switch (value) {
            case RespValue.Array array -> array.elements();
            case RespValue.Set set -> set.elements();
            case RespValue.Null ignored -> List.of();
            default -> throw new IllegalStateException("not a list: " + value);
        };
        List<String> texts = new ArrayList<>(elements.size());
        for (RespValue element : elements) {
            texts.add(element.asString());
        }
        return Collections.unmodifiableList(texts);
    }

    private static Map<String, String> textMap(RespValue value) {
        Map<String, String> map = new LinkedHashMap<>();
        if (value instanceof RespValue.Map resp3) {
            resp3.entries().forEach((k, v) -> map.put(k.asString(), v.asString()));
        } else {
            List<String> flat = texts(value);
            for (int i = 0; i + 1 < flat.size(); i += 2) {
                map.put(flat.get(i), flat.get(i + 1));
            }
        }
        return Collections.unmodifiableMap(map);
    }

    private static String[] with(String name, String key, String... rest) {
        String[] args = new String[rest.length + 2];
        args[0] = name;
        args[1] = Objects.requireNonNull(key, "key");
        System.arraycopy(rest, 0, args, 2, rest.length);
        return args;
    }

    private static String[] keys(String name, String... keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException(name + " needs at least one key");
        }
        String[] args = new String[keys.length + 1];
        args[0] = name;
        System.arraycopy(keys, 0, args, 1, keys.length);
        return args;
    }

    // Strings and counters.

    /**
     * {@code GET}.
     *
     * @param key the key
     * @return the value, or null when the key does not exist
     */
    public CompletionStage<String> get(String key) {
        return run(RedisCommands::text, "GET", key);
    }

    /**
     * {@code SET key value}.
     *
     * @param key   the key
     * @param value the value
     * @return completes when stored
     */
    public CompletionStage<Void> set(String key, String value) {
        return run(v -> null, "SET", key, value);
    }

    /**
     * {@code SET key value [NX|XX] [KEEPTTL]}.
     *
     * @param key     the key
     * @param value   the value
     * @param options conditions
     * @return whether it was stored (false when {@code NX} or {@code XX} was not met)
     */
    public CompletionStage<Boolean> set(String key, String value, SetOption... options) {
        List<String> args = new ArrayList<>(List.of("SET", key, value));
        for (SetOption option : options) {
            args.add(option.word);
        }
        return run(v -> !v.isNull(), args.toArray(String[]::new));
    }

    /**
     * {@code SET key value PX millis}: stored with a time to live.
     *
     * @param key        the key
     * @param value      the value
     * @param timeToLive at least a millisecond
     * @return completes when stored
     */
    public CompletionStage<Void> set(String key, String value, Duration timeToLive) {
        return run(v -> null, "SET", key, value, "PX", Long.toString(Math.max(1, timeToLive.toMillis())));
    }

    /**
     * {@code INCRBY}.
     *
     * @param key   the key
     * @param delta the amount, may be negative
     * @return the new value
     */
    public CompletionStage<Long> incrBy(String key, long delta) {
        return run(RedisCommands::number, "INCRBY", key, Long.toString(delta));
    }

    /**
     * {@code DECRBY}.
     *
     * @param key   the key
     * @param delta the amount
     * @return the new value
     */
    public CompletionStage<Long> decrBy(String key, long delta) {
        return run(RedisCommands::number, "DECRBY", key, Long.toString(delta));
    }

    // Keys.

    /**
     * {@code DEL}.
     *
     * @param keys at least one key
     * @return how many existed and were removed
     */
    public CompletionStage<Long> del(String... keys) {
        return run(RedisCommands::number, keys("DEL", keys));
    }

    /**
     * {@code EXISTS}.
     *
     * @param keys at least one key
     * @return how many of them exist
     */
    public CompletionStage<Long> exists(String... keys) {
        return run(RedisCommands::number, keys("EXISTS", keys));
    }

    /**
     * {@code PEXPIRE}.
     *
     * @param key        the key
     * @param timeToLive the time to live
     * @return whether the key exists (and now expires)
     */
    public CompletionStage<Boolean> expire(String key, Duration timeToLive) {
        return run(RedisCommands::flag, "PEXPIRE", key, Long.toString(timeToLive.toMillis()));
    }

    /**
     * {@code PTTL}.
     *
     * @param key the key
     * @return the time to live; null when the key does not exist or does not expire
     */
    public CompletionStage<Duration> ttl(String key) {
        return run(v -> v.asLong() < 0 ? null : Duration.ofMillis(v.asLong()), "PTTL", key);
    }

    // Hashes.

    /**
     * {@code HSET key field value}.
     *
     * @param key   the key
     * @param field the field
     * @param value the value
     * @return whether the field is new
     */
    public CompletionStage<Boolean> hset(String key, String field, String value) {
        return run(RedisCommands::flag, "HSET", key, field, value);
    }

    /**
     * {@code HSET key field value...}.
     *
     * @param key    the key
     * @param fields at least one field and its value
     * @return how many fields are new
     */
    public CompletionStage<Long> hset(String key, Map<String, String> fields) {
        if (fields.isEmpty()) {
            throw new IllegalArgumentException("HSET needs at least one field");
        }
        List<String> args = new ArrayList<>(List.of("HSET", key));
        fields.forEach((field, value) -> {
            args.add(field);
            args.add(value);
        });
        return run(RedisCommands::number, args.toArray(String[]::new));
    }

    /**
     * {@code HGET}.
     *
     * @param key   the key
     * @param field the field
     * @return its value, or null
     */
    public CompletionStage<String> hget(String key, String field) {
        return run(RedisCommands::text, "HGET", key, field);
    }

    /**
     * {@code HGETALL}.
     *
     * @param key the key
     * @return every field and value, in Redis's order; empty when the key does not exist
     */
    public CompletionStage<Map<String, String>> hgetAll(String key) {
        return run(RedisCommands::textMap, "HGETALL", key);
    }

    /**
     * {@code HDEL}.
     *
     * @param key    the key
     * @param fields at least one field
     * @return how many were removed
     */
    public CompletionStage<Long> hdel(String key, String... fields) {
        return run(RedisCommands::number, with("HDEL", key, fields));
    }

    // Lists.

    /**
     * {@code LPUSH}.
     *
     * @param key    the key
     * @param values at least one value, pushed one after the other at the head
     * @return the list's length after
     */
    public CompletionStage<Long> lpush(String key, String... values) {
        return run(RedisCommands::number, with("LPUSH", key, values));
    }

    /**
     * {@code RPUSH}.
     *
     * @param key    the key
     * @param values at least one value, appended
     * @return the list's length after
     */
    public CompletionStage<Long> rpush(String key, String... values) {
        return run(RedisCommands::number, with("RPUSH", key, values));
    }

    /**
     * {@code LPOP}.
     *
     * @param key the key
     * @return the first element, or null when the list is empty
     */
    public CompletionStage<String> lpop(String key) {
        return run(RedisCommands::text, "LPOP", key);
    }

    /**
     * {@code RPOP}.
     *
     * @param key the key
     * @return the last element, or null when the list is empty
     */
    public CompletionStage<String> rpop(String key) {
        return run(RedisCommands::text, "RPOP", key);
    }

    /**
     * {@code LRANGE}.
     *
     * @param key   the key
     * @param start the first index (negative from the end)
     * @param stop  the last index, inclusive (-1 for the end)
     * @return the elements
     */
    public CompletionStage<List<String>> lrange(String key, long start, long stop) {
        return run(RedisCommands::texts, "LRANGE", key, Long.toString(start), Long.toString(stop));
    }

    // Sets.

    /**
     * {@code SADD}.
     *
     * @param key     the key
     * @param members at least one member
     * @return how many were added
     */
    public CompletionStage<Long> sadd(String key, String... members) {
        return run(RedisCommands::number, with("SADD", key, members));
    }

    /**
     * {@code SMEMBERS}.
     *
     * @param key the key
     * @return the members
     */
    public CompletionStage<Set<String>> smembers(String key) {
        return run(v -> Collections.unmodifiableSet(new LinkedHashSet<>(texts(v))), "SMEMBERS", key);
    }

    /**
     * {@code SISMEMBER}.
     *
     * @param key    the key
     * @param member the member
     * @return whether it is in the set
     */
    public CompletionStage<Boolean> sismember(String key, String member) {
        return run(RedisCommands::flag, "SISMEMBER", key, member);
    }

    // Sorted sets.

    /**
     * {@code ZADD key score member}.
     *
     * @param key    the key
     * @param score  the score
     * @param member the member
     * @return whether the member is new
     */
    public CompletionStage<Boolean> zadd(String key, double score, String member) {
        return run(RedisCommands::flag, "ZADD", key, Double.toString(score), member);
    }

    /**
     * {@code ZRANGE key start stop}.
     *
     * @param key   the key
     * @param start the first rank
     * @param stop  the last rank, inclusive (-1 for the end)
     * @return the members in score order
     */
    public CompletionStage<List<String>> zrange(String key, long start, long stop) {
        return run(RedisCommands::texts, "ZRANGE", key, Long.toString(start), Long.toString(stop));
    }

    /**
     * {@code ZSCORE}.
     *
     * @param key    the key
     * @param member the member
     * @return its score, or null when absent
     */
    public CompletionStage<Double> zscore(String key, String member) {
        return run(v -> v.isNull() ? null : v instanceof RespValue.Double d ? d.value()
                : Double.parseDouble(v.asString()), "ZSCORE", key, member);
    }

    // Transactions.

    /**
     * Starts a transaction: commands added to it are sent as {@code MULTI}, the commands and {@code EXEC} in one
     * batch, so that no other command of this connection can come between them.
     *
     * @return an empty transaction
     */
    public RedisTransaction multi() {
        return new RedisTransaction(client);
    }
}
