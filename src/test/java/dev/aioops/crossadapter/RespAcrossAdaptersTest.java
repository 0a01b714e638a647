package dev.aioops.crossadapter;

import dev.aioops.examples.resp.RedisClient;
import dev.aioops.examples.resp.RedisClientConfig;
import dev.aioops.examples.resp.RedisCommandException;
import dev.aioops.examples.resp.RedisCommands;
import dev.aioops.examples.resp.RedisUri;
import dev.aioops.examples.resp.RespLimits;
import dev.aioops.examples.resp.RespProtocolException;
import dev.aioops.examples.resp.RespValue;
import dev.aioops.fixtures.RedisServerFixture;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link RedisClient} on every adapter, against a real Redis server started for the suite. */
@Timeout(60)
class RespAcrossAdaptersTest {

    private static RedisServerFixture redis;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServerFixture.start();
        System.out.println("redis: " + redis.executable() + " on " + redis.address());
    }

    @AfterAll
    static void stopRedis() throws IOException {
        if (redis != null) {
            redis.close();
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    private static String key(String name) {
        return "aioops:" + UUID.randomUUID() + ":" + name;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void every_command_of_the_client_against_redis(AioProvider adapter) throws Exception {
        try (AioOperations ops = adapter.open(Adapters.config());
             RedisClient client = await(RedisClient.connect(ops, redis.address()))) {
            String k = key("k");
            String n = key("n");
            assertThat(await(client.ping())).isEqualTo(new RespValue.SimpleString("PONG"));
            assertThat(await(client.set(k, "värde"))).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(await(client.get(k)).asString()).isEqualTo("värde");
            assertThat(await(client.get(key("absent"))).isNull()).isTrue();
            assertThat(await(client.incr(n)).asLong()).isEqualTo(1);
            assertThat(await(client.incr(n)).asLong()).isEqualTo(2);
            assertThat(await(client.mget(k, key("absent"), n))).isEqualTo(new RespValue.Array(List.of(
                    new RespValue.BulkString("värde".getBytes(StandardCharsets.UTF_8)), RespValue.Null.INSTANCE,
                    new RespValue.BulkString("2".getBytes(StandardCharsets.UTF_8)))));
            assertThat(await(client.expire(k, 100)).asLong()).isEqualTo(1);
            assertThat(await(client.command("TTL", k)).asLong()).isBetween(1L, 100L);
            assertThat(await(client.del(k, n, key("absent"))).asLong()).isEqualTo(2);
            assertThat(await(client.command("EXISTS", k)).asLong()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void redis_errors_are_values_and_the_connection_carries_on(AioProvider adapter) throws Exception {
        try (AioOperations ops = adapter.open(Adapters.config());
             RedisClient client = await(RedisClient.connect(ops, redis.address()))) {
            String list = key("list");
            await(client.command("RPUSH", list, "a"));

            RespValue wrongType = await(client.get(list));
            RespValue unknown = await(client.command("NO-SUCH-COMMAND"));
            RespValue notANumber = await(client.incr(list));

            assertThat(wrongType).isInstanceOfSatisfying(RespValue.Error.class,
                    e -> assertThat(e.code()).isEqualTo("WRONGTYPE"));
            assertThat(unknown.isError()).isTrue();
            assertThat(unknown.asString()).startsWith("ERR");
            assertThat(notANumber.isError()).isTrue();
            assertThat(await(client.ping()).asString()).isEqualTo("PONG");
            assertThat(client.isOpen()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void ten_thousand_pipelined_commands_are_answered_in_order(AioProvider adapter) throws Exception {
        try (AioOperations ops = adapter.open(Adapters.config());
             RedisClient client = await(RedisClient.connect(ops, redis.address()))) {
            String counter = key("counter");
            List<CompletableFuture<RespValue>> replies = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                replies.add(client.incr(counter));
            }
            for (int i = 0; i < replies.size(); i++) {
                assertThat(await(replies.get(i)).asLong()).isEqualTo(i + 1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void commands_from_several_threads_all_complete(AioProvider adapter) throws Exception {
        try (AioOperations ops = adapter.open(Adapters.config());
             RedisClient client = await(RedisClient.connect(ops, redis.address()))) {
            String counter = key("shared");
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<RespValue>> replies = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        replies.add(client.incr(counter));
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            long max = 0;
            for (CompletableFuture<RespValue> reply : replies) {
                max = Math.max(max, await(reply).asLong());
            }
            assertThat(max).isEqualTo(8_000);
            assertThat(await(client.get(counter)).asLong()).isEqualTo(8_000);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void binary_values_of_megabytes_round_trip(AioProvider adapter) throws Exception {
        byte[] value = new byte[3 << 20];
        new Random(3).nextBytes(value);
        try (AioOperations ops = adapter.open(Adapters.config());
             RedisClient client = await(RedisClient.connect(ops, redis.address()))) {
            String k = key("blob");
            assertThat(await(client.set(k, value)).asString()).isEqualTo("OK");
            assertThat(await(client.get(k))).isEqualTo(new RespValue.BulkString(value));
            await(client.del(k));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_reply_over_the_limits_fails_the_connection_not_the_heap(AioProvider adapter) throws Exception {
        try (AioOperations ops = adapter.open(Adapters.config());
             RedisClient writer = await(RedisClient.connect(ops, redis.address()));
             RedisClient bounded = await(RedisClient.connect(ops, redis.address(),
                     new RespLimits(1024, 16, 4, 256)))) {
            String k = key("big");
            await(writer.set(k, "x".repeat(5000)));

            CompletableFuture<RespValue> tooBig = bounded.get(k);
            CompletableFuture<RespValue> after = bounded.ping();

            assertThatThrownBy(() -> await(tooBig)).cause().isInstanceOf(RespProtocolException.class)
                    .hasMessageContaining("maxBulkLength");
            assertThatThrownBy(() -> await(after)).cause().isInstanceOf(RespProtocolException.class);
            assertThat(bounded.isOpen()).isFalse();
            assertThat(await(writer.del(k)).asLong()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void the_server_closing_the_connection_fails_every_pending_command(AioProvider adapter) throws Exception {
        try (AioOperations ops = adapter.open(Adapters.config());
             RedisClient client = await(RedisClient.connect(ops, redis.address()))) {
            CompletableFuture<RespValue> quit = client.command("QUIT");
            List<CompletableFuture<RespValue>> after = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                after.add(client.ping());
            }

            assertThat(await(quit).asString()).isEqualTo("OK");
            for (CompletableFuture<RespValue> pending : after) {
                assertThatThrownBy(() -> await(pending)).cause().isInstanceOf(IOException.class);
            }
            assertThat(client.isOpen()).isFalse();
            assertThatThrownBy(() -> await(client.ping())).cause().isInstanceOf(IOException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_client_over_redis_unix_socket_selects_a_database_and_round_trips(AioProvider adapter) throws Exception {
        String key = key("unix");
        try (AioOperations ops = adapter.open(Adapters.config());
             RedisClient client = await(RedisClient.connect(ops, "unix://" + redis.unixSocket().getPath()
                     + "?db=2&name=aioops-unix"))) {
            assertThat(client.address()).isEqualTo(redis.unixSocket());
            assertThat(await(client.set(key, "over a Unix socket")).asString()).isEqualTo("OK");
            assertThat(await(client.get(key)).asString()).isEqualTo("over a Unix socket");
            assertThat(await(client.command("CLIENT", "GETNAME")).asString()).isEqualTo("aioops-unix");
            assertThat(await(client.command("CLIENT", "INFO")).asString()).contains("db=2");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void connecting_to_a_port_where_nothing_listens_is_refused(AioProvider adapter) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (AioOperations ops = adapter.open(Adapters.config())) {
            CompletableFuture<RedisClient> connect = RedisClient.connect(ops,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            assertThatThrownBy(() -> await(connect)).cause().isInstanceOf(AioException.class)
                    .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(AioErrno.ECONNREFUSED));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_uri_authenticates_an_acl_user_selects_a_database_and_names_the_connection(AioProvider adapter)
            throws Exception {
        String user = "aioops-" + UUID.randomUUID().toString().substring(0, 8);
        String k = key("db3");
        try (AioOperations ops = adapter.open(Adapters.config());
             RedisClient admin = await(RedisClient.connect(ops, redis.address()))) {
            assertThat(await(admin.command("ACL", "SETUSER", user, "on", ">s3cret:+", "~*", "+@all")))
                    .isEqualTo(new RespValue.SimpleString("OK"));
            String base = "redis://" + user + ":s3cret%3A%2B@127.0.0.1:" + redis.address().getPort();
            try (RedisClient client = await(RedisClient.connect(ops, base + "/3?name=aioops-test"))) {
                assertThat(await(client.command("ACL", "WHOAMI")).asString()).isEqualTo(user);
                assertThat(await(client.command("CLIENT", "GETNAME")).asString()).isEqualTo("aioops-test");
                assertThat(await(client.set(k, "in three"))).isEqualTo(new RespValue.SimpleString("OK"));
            }
            assertThat(await(admin.get(k)).isNull()).as("database 0 does not have it").isTrue();
            assertThat(await(admin.command("SELECT", "3"))).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(await(admin.get(k)).asString()).isEqualTo("in three");

            CompletableFuture<RedisClient> refused = RedisClient.connect(ops, "redis://" + user + ":wrong@127.0.0.1:"
                    + redis.address().getPort());
            assertThatThrownBy(() -> await(refused)).cause().isInstanceOf(IOException.class)
                    .hasMessageContaining("refused AUTH").hasMessageContaining("WRONGPASS")
                    .hasMessageNotContaining("wrong");
            await(admin.command("ACL", "DELUSER", user));
            await(admin.del(k));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void resp3_types_pushes_and_pub_sub_on_a_connection_that_still_serves_commands(AioProvider adapter)
            throws Exception {
        String h = key("h");
        String s = key("s");
        String channel = key("ch");
        String tracked = key("tracked");
        RedisClientConfig resp3 = RedisClientConfig.DEFAULTS.withProtocol(3);
        try (AioOperations ops = adapter.open(Adapters.config());
             RedisClient client = await(RedisClient.connect(ops, RedisUri.of(redis.address()), resp3));
             RedisClient publisher = await(RedisClient.connect(ops, redis.address()))) {
            LinkedBlockingQueue<RespValue.Push> pushes = new LinkedBlockingQueue<>();
            client.pubSub().onPush(pushes::add);
            await(client.command("HSET", h, "f1", "v1", "f2", "v2"));
            RespValue.Map map = (RespValue.Map) await(client.command("HGETALL", h));
            assertThat(map.get("f2").asString()).isEqualTo("v2");
            await(client.command("SADD", s, "a"));
            assertThat(await(client.command("SMEMBERS", s))).isInstanceOf(RespValue.Set.class);
            assertThat(await(client.command("EXISTS", h)).asLong()).isEqualTo(1);

            await(client.pubSub().subscribe(channel));
            await(publisher.command("PUBLISH", channel, "hello"));
            RespValue.Push message = pushes.poll(30, TimeUnit.SECONDS);
            assertThat(message.kind()).isEqualTo("message");
            assertThat(message.elements().get(2).asString()).isEqualTo("hello");
            assertThat(await(client.command("HGET", h, "f1")).asString()).as("RESP3: still serving commands")
                    .isEqualTo("v1");

            // Client-side caching: a read key's change is pushed as an invalidation.
            await(client.command("CLIENT", "TRACKING", "ON"));
            await(client.get(tracked));
            await(publisher.set(tracked, "changed"));
            RespValue.Push invalidate = pushes.poll(30, TimeUnit.SECONDS);
            assertThat(invalidate.kind()).isEqualTo("invalidate");
            assertThat(invalidate.elements().get(1).toString()).contains(tracked);

            await(client.pubSub().unsubscribe(channel));
            await(publisher.del(h, s, tracked));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void hello_3_sent_as_a_plain_command_and_the_pushes_that_follow_keep_the_connection(AioProvider adapter)
            throws Exception {
        String channel = key("hello3");
        try (AioOperations ops = adapter.open(Adapters.config());
             RedisClient client = await(RedisClient.connect(ops, redis.address()));
             RedisClient publisher = await(RedisClient.connect(ops, redis.address()))) {
            LinkedBlockingQueue<RespValue.Push> pushes = new LinkedBlockingQueue<>();
            client.pubSub().onPush(pushes::add);

            RespValue hello = await(client.command("HELLO", "3")); // once, this reply broke the connection
            assertThat(hello).isInstanceOf(RespValue.Map.class);
            assertThat(((RespValue.Map) hello).get("proto").asLong()).isEqualTo(3);
            await(client.pubSub().subscribe(channel));
            await(publisher.command("PUBLISH", channel, "pushed"));

            assertThat(pushes.poll(30, TimeUnit.SECONDS).elements().getLast().asString()).isEqualTo("pushed");
            assertThat(await(client.ping())).as("RESP3: commands on a subscribed connection")
                    .isEqualTo(new RespValue.SimpleString("PONG"));
            assertThat(client.isOpen()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_subscribe_the_acl_forbids_fails_alone_and_the_connection_carries_on(AioProvider adapter)
            throws Exception {
        String user = "aioops-" + UUID.randomUUID().toString().substring(0, 8);
        try (AioOperations ops = adapter.open(Adapters.config());
             RedisClient admin = await(RedisClient.connect(ops, redis.address()))) {
            await(admin.command("ACL", "SETUSER", user, "on", ">pw", "~*", "+@all", "resetchannels", "&open.*"));
            try (RedisClient client = await(RedisClient.connect(ops, "redis://" + user + ":pw@127.0.0.1:"
                    + redis.address().getPort()))) {
                CompletableFuture<Void> forbidden = client.pubSub().subscribe("closed.news");
                CompletableFuture<Void> allowed = client.pubSub().subscribe("open.news");
                CompletableFuture<RespValue> ping = client.ping();

                assertThatThrownBy(() -> await(forbidden)).cause().isInstanceOf(RedisCommandException.class)
                        .hasMessageContaining("NOPERM");
                await(allowed);
                assertThat(await(ping).toString()).contains("pong");
                assertThat(client.isOpen()).isTrue();
            } finally {
                await(admin.command("ACL", "DELUSER", user));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void resp2_pub_sub_with_channels_and_patterns(AioProvider adapter) throws Exception {
        String prefix = key("news");
        try (AioOperations ops = adapter.open(Adapters.config());
             RedisClient subscriber = await(RedisClient.connect(ops, redis.address()));
             RedisClient publisher = await(RedisClient.connect(ops, redis.address()))) {
            LinkedBlockingQueue<RespValue.Push> pushes = new LinkedBlockingQueue<>();
            subscriber.pubSub().onPush(pushes::add);
            await(subscriber.pubSub().subscribe(prefix + ".a", prefix + ".b"));
            await(subscriber.pubSub().psubscribe(prefix + ".*"));
            assertThat(await(publisher.command("PUBLISH", prefix + ".a", "one")).asLong())
                    .as("the channel and the pattern").isEqualTo(2);
            List<String> kinds = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                RespValue.Push push = pushes.poll(30, TimeUnit.SECONDS);
                kinds.add(push.kind());
                assertThat(push.elements().getLast().asString()).isEqualTo("one");
            }
            assertThat(kinds).containsExactlyInAnyOrder("message", "pmessage");
            assertThat(await(subscriber.ping())).as("PING in RESP2 pub/sub mode").isInstanceOf(RespValue.Array.class);
            await(subscriber.pubSub().unsubscribe(prefix + ".a", prefix + ".b"));
            await(subscriber.pubSub().punsubscribe(prefix + ".*"));
            assertThat(await(subscriber.ping())).as("a plain connection again")
                    .isEqualTo(new RespValue.SimpleString("PONG"));
            assertThat(pushes).isEmpty();
        }
    }

    private static <T> T await(java.util.concurrent.CompletionStage<T> stage) throws Exception {
        return await(stage.toCompletableFuture());
    }

    /** What a stage failed with, or null if it succeeded. */
    private static Throwable failure(java.util.concurrent.CompletionStage<?> stage) throws Exception {
        return await(stage.handle((v, e) -> e instanceof java.util.concurrent.CompletionException c ? c.getCause()
                : e));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void the_typed_api_and_transactions_in_resp2_and_resp3(AioProvider adapter) throws Exception {
        for (int protocol : new int[] {2, 3}) {
            try (AioOperations ops = adapter.open(Adapters.config());
                 RedisClient client = await(RedisClient.connect(ops, RedisUri.of(redis.address()),
                         RedisClientConfig.DEFAULTS.withProtocol(protocol)))) {
                RedisCommands redis = client.async();
                String s = key("s");
                String n = key("n");
                String h = key("h");
                String l = key("l");
                String set = key("set");
                String z = key("z");
                await(redis.set(s, "v"));
                assertThat(await(redis.get(s))).isEqualTo("v");
                assertThat(await(redis.get(key("absent")))).isNull();
                assertThat(await(redis.set(s, "w", RedisCommands.SetOption.IF_ABSENT))).isFalse();
                assertThat(await(redis.set(s, "w", RedisCommands.SetOption.IF_PRESENT))).isTrue();
                await(redis.set(n, "5", Duration.ofMinutes(5)));
                assertThat(await(redis.ttl(n))).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5));
                assertThat(await(redis.incrBy(n, Long.MAX_VALUE - 5))).isEqualTo(Long.MAX_VALUE);
                assertThat(failure(redis.decrBy(n, -1))).as("overflow")
                        .isInstanceOf(RedisCommandException.class);
                assertThat(await(redis.expire(s, Duration.ofSeconds(100)))).isTrue();
                assertThat(await(redis.ttl(key("absent")))).isNull();
                assertThat(await(redis.hset(h, Map.of("a", "1", "b", "2")))).isEqualTo(2);
                assertThat(await(redis.hset(h, "a", "3"))).isFalse();
                assertThat(await(redis.hget(h, "a"))).isEqualTo("3");
                assertThat(await(redis.hgetAll(h))).containsExactlyInAnyOrderEntriesOf(Map.of("a", "3", "b", "2"));
                assertThat(await(redis.hdel(h, "a"))).isEqualTo(1);
                assertThat(await(redis.rpush(l, "x", "y"))).isEqualTo(2);
                assertThat(await(redis.lpush(l, "w"))).isEqualTo(3);
                assertThat(await(redis.lrange(l, 0, -1))).containsExactly("w", "x", "y");
                assertThat(await(redis.lpop(l))).isEqualTo("w");
                assertThat(await(redis.rpop(l))).isEqualTo("y");
                assertThat(await(redis.sadd(set, "p", "q", "p"))).isEqualTo(2);
                assertThat(await(redis.smembers(set))).containsExactlyInAnyOrder("p", "q");
                assertThat(await(redis.sismember(set, "q"))).isTrue();
                assertThat(await(redis.zadd(z, 2.5, "b"))).isTrue();
                assertThat(await(redis.zadd(z, 1, "a"))).isTrue();
                assertThat(await(redis.zrange(z, 0, -1))).containsExactly("a", "b");
                assertThat(await(redis.zscore(z, "b"))).isEqualTo(2.5);
                assertThat(await(redis.exists(s, h, key("absent")))).isEqualTo(2);
                assertThat(failure(redis.get(h))).isInstanceOf(RedisCommandException.class)
                        .hasMessageContaining("WRONGTYPE");

                List<RespValue> results = await(redis.multi().command("INCR", n + "x").command("INCR", n + "x")
                        .command("LPUSH", s, "not a list").exec());
                assertThat(results.get(0).asLong()).isEqualTo(1);
                assertThat(results.get(1).asLong()).isEqualTo(2);
                assertThat(results.get(2).isError()).as("an error inside EXEC is that command's reply").isTrue();
                assertThat(failure(redis.multi().command("NOSUCHCOMMAND").exec()))
                        .isInstanceOf(RedisCommandException.class).hasMessageContaining("EXECABORT");
                assertThat(await(redis.del(s, n, n + "x", h, l, set, z))).isEqualTo(7);
            }
        }
    }
}
