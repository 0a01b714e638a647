package dev.aioops.crossadapter;

import dev.aioops.examples.resp.RedisClient;
import dev.aioops.examples.resp.RedisClientConfig;
import dev.aioops.examples.resp.RedisUri;
import dev.aioops.examples.resp.RespLimits;
import dev.aioops.examples.resp.RespValue;
import dev.aioops.fixtures.RedisServerFixture;
import dev.aioops.spi.Aio;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RedisClient} at the edges of what Redis allows, against a real Redis: the largest bulk string
 * ({@code proto-max-bulk-len}, 512 MiB) and integers at both ends of the 64-bit range.
 */
@Timeout(120)
class RespExtremesAcrossAdaptersTest {

    private static final long MIB = 1 << 20;

    private static RedisServerFixture redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServerFixture.start();
    }

    @AfterAll
    static void stopRedis() throws IOException {
        if (redis != null) {
            redis.close();
        }
    }

    private static RespValue await(CompletableFuture<RespValue> reply) throws Exception {
        return reply.get(60, TimeUnit.SECONDS);
    }

    private static String key(String name) {
        return "aioops:" + UUID.randomUUID() + ":" + name;
    }

    /** A byte of the value at {@code index}: a multiplicative hash, so that no run or period repeats. */
    private static byte pattern(int index) {
        return (byte) ((index * 0x9E3779B1) >>> 24);
    }

    /**
     * A 512 MiB value (Redis's largest bulk string) SET and read back with GET, byte for byte, on the adapter an
     * application gets by default (io_uring where available): on one adapter only, since it moves a gigabyte
     * through loopback. The client holds the value about three and a half times on the heap (the caller's array,
     * the encoded command, the reply and, while the reply grows, half of it once more) and once natively: on a heap
     * under 4 GiB the value shrinks to an eighth of the heap, a whole number of MiB, and the output says which size
     * ran. On this project's machines (24 GiB, so a default heap of 6 GiB) it is 512 MiB: SET about 2 s, GET about
     * 3 s, the whole test about 6 s with the other core busy (printed to the test's output).
     */
    @Test
    void the_largest_value_redis_allows_round_trips_with_the_default_bulk_limit() throws Exception {
        int size = (int) Math.min(512 * MIB, Runtime.getRuntime().maxMemory() / 8 / MIB * MIB);
        byte[] value = new byte[size];
        for (int i = 0; i < size; i++) {
            value[i] = pattern(i);
        }
        // RespLimits.DEFAULTS takes bulk strings up to 512 MiB; the reply cap is set, not left to the heap's size.
        RedisClientConfig config = RedisClientConfig.DEFAULTS
                .withLimits(RespLimits.DEFAULTS.withMaxReplyBytes(Math.max(1L << 30, 2L * size)));
        String k = key("largest");
        try (AioOperations ops = Aio.open(Adapters.config());
             RedisClient client = RedisClient.connect(ops, RedisUri.of(redis.address()), config)
                     .get(30, TimeUnit.SECONDS)) {
            // What the server accepts: a bulk of proto-max-bulk-len, a query buffer of client-query-buffer-limit.
            assertThat(await(client.command("CONFIG", "GET", "proto-max-bulk-len")).toString()).contains("536870912");
            long queryBufferLimit = ((RespValue.Array) await(client.command("CONFIG", "GET",
                    "client-query-buffer-limit"))).elements().get(1).asLong();
            assertThat(queryBufferLimit).isGreaterThan(size + MIB);

            long start = System.nanoTime();
            assertThat(await(client.set(k, value))).isEqualTo(new RespValue.SimpleString("OK"));
            long set = System.nanoTime();
            RespValue reply = await(client.get(k));
            long get = System.nanoTime();

            assertThat(reply).isInstanceOf(RespValue.BulkString.class);
            byte[] received = ((RespValue.BulkString) reply).bytes();
            assertThat(received).hasSize(size);
            assertThat(Arrays.mismatch(value, received)).as("the first byte that differs").isEqualTo(-1);
            assertThat(await(client.command("STRLEN", k)).asLong()).isEqualTo(size);
            assertThat(await(client.del(k)).asLong()).isEqualTo(1);
            System.out.printf("%d MiB on %s: SET %d ms, GET %d ms%n", size / MIB, Aio.provider().name(),
                    Duration.ofNanos(set - start).toMillis(), Duration.ofNanos(get - set).toMillis());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void integers_at_both_ends_of_the_64_bit_range_round_trip_in_resp2_and_resp3(AioProvider adapter)
            throws Exception {
        for (int protocol : new int[] {2, 3}) {
            String low = key("low");
            String high = key("high");
            try (AioOperations ops = adapter.open(Adapters.config());
                 RedisClient client = RedisClient.connect(ops, RedisUri.of(redis.address()),
                         RedisClientConfig.DEFAULTS.withProtocol(protocol)).get(30, TimeUnit.SECONDS)) {
                await(client.set(low, Long.toString(Long.MIN_VALUE + 1)));
                await(client.set(high, Long.toString(Long.MAX_VALUE - 1)));

                assertThat(await(client.command("DECR", low))).as("RESP%d", protocol)
                        .isEqualTo(new RespValue.Integer(Long.MIN_VALUE));
                assertThat(await(client.incr(high))).isEqualTo(new RespValue.Integer(Long.MAX_VALUE));
                assertThat(await(client.command("DECR", low)).isError()).as("Redis refuses to overflow").isTrue();
                assertThat(await(client.incr(high)).isError()).isTrue();
                assertThat(await(client.get(low)).asLong()).isEqualTo(Long.MIN_VALUE);
                assertThat(await(client.get(high)).asLong()).isEqualTo(Long.MAX_VALUE);
                assertThat(client.async().incrBy(low, 0).toCompletableFuture().get(30, TimeUnit.SECONDS))
                        .isEqualTo(Long.MIN_VALUE);
                assertThat(client.async().decrBy(high, 0).toCompletableFuture().get(30, TimeUnit.SECONDS))
                        .isEqualTo(Long.MAX_VALUE);
                assertThat(client.isOpen()).isTrue();
                assertThat(await(client.del(low, high)).asLong()).isEqualTo(2);
            }
        }
    }
}
