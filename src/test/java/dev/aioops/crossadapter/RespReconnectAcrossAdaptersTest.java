package dev.aioops.crossadapter;

import dev.aioops.examples.resp.ReconnectPolicy;
import dev.aioops.examples.resp.ReconnectingRedisClient;
import dev.aioops.examples.resp.RedisClientConfig;
import dev.aioops.examples.resp.RedisUri;
import dev.aioops.examples.resp.RespValue;
import dev.aioops.fixtures.RedisServerFixture;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ReconnectingRedisClient} on every adapter against a real Redis that is stopped and started again: the
 * client reconnects with backoff, commands issued while it is down wait (bounded) or fail fast as the policy says,
 * and its subscriptions are renewed on the new connection.
 */
@Timeout(120)
class RespReconnectAcrossAdaptersTest {

    private static final ReconnectPolicy QUICK = new ReconnectPolicy(Duration.ofMillis(20), Duration.ofMillis(200),
            0.5, Duration.ofSeconds(20), 100);

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void reconnects_after_a_restart_and_commands_issued_meanwhile_wait_for_it(AioProvider adapter) throws Exception {
        try (RedisServerFixture redis = RedisServerFixture.start();
             AioOperations ops = adapter.open(Adapters.config());
             ReconnectingRedisClient client = ReconnectingRedisClient.connect(ops, RedisUri.of(redis.address()),
                     RedisClientConfig.DEFAULTS, QUICK).get(30, TimeUnit.SECONDS)) {
            client.async().set("k", "before").toCompletableFuture().get(30, TimeUnit.SECONDS);
            redis.stop();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (client.isConnected() && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(client.isConnected()).as("the loss was noticed").isFalse();
            CompletableFuture<RespValue> issuedWhileDown = client.command("SET", "k", "after");
            Thread.sleep(300); // a few failed attempts
            redis.startAgain();
            assertThat(issuedWhileDown.get(30, TimeUnit.SECONDS)).isEqualTo(new RespValue.SimpleString("OK"));
            assertThat(client.async().get("k").toCompletableFuture().get(30, TimeUnit.SECONDS)).isEqualTo("after");
            assertThat(client.reconnects()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void with_a_fail_fast_policy_commands_fail_at_once_while_disconnected(AioProvider adapter) throws Exception {
        ReconnectPolicy failFast = new ReconnectPolicy(Duration.ofMillis(20), Duration.ofMillis(200), 0.5,
                Duration.ZERO, 100);
        try (RedisServerFixture redis = RedisServerFixture.start();
             AioOperations ops = adapter.open(Adapters.config());
             ReconnectingRedisClient client = ReconnectingRedisClient.connect(ops, RedisUri.of(redis.address()),
                     RedisClientConfig.DEFAULTS, failFast).get(30, TimeUnit.SECONDS)) {
            redis.stop();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (client.isConnected() && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            CompletableFuture<RespValue> refused = client.command("PING");
            assertThatThrownBy(() -> refused.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(IOException.class).hasMessageContaining("disconnected");
            redis.startAgain();
            end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!client.isConnected() && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(client.command("PING").get(30, TimeUnit.SECONDS))
                    .isEqualTo(new RespValue.SimpleString("PONG"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void subscriptions_are_renewed_after_a_restart_and_the_listener_goes_on_receiving(AioProvider adapter)
            throws Exception {
        for (int protocol : new int[] {2, 3}) {
            try (RedisServerFixture redis = RedisServerFixture.start();
                 AioOperations ops = adapter.open(Adapters.config());
                 ReconnectingRedisClient subscriber = ReconnectingRedisClient.connect(ops, RedisUri.of(redis.address()),
                         RedisClientConfig.DEFAULTS.withProtocol(protocol), QUICK).get(30, TimeUnit.SECONDS);
                 ReconnectingRedisClient publisher = ReconnectingRedisClient.connect(ops, RedisUri.of(redis.address()),
                         RedisClientConfig.DEFAULTS, QUICK).get(30, TimeUnit.SECONDS)) {
                LinkedBlockingQueue<RespValue.Push> pushes = new LinkedBlockingQueue<>();
                AtomicInteger reconnected = new AtomicInteger();
                subscriber.pubSub().onPush(pushes::add);
                subscriber.onReconnect(reconnected::incrementAndGet);
                subscriber.pubSub().subscribe("news", "gone").get(30, TimeUnit.SECONDS);
                subscriber.pubSub().psubscribe("sport.*").get(30, TimeUnit.SECONDS);
                subscriber.pubSub().unsubscribe("gone").get(30, TimeUnit.SECONDS);
                assertThat(publish(publisher, "news", "before")).isEqualTo(1);
                assertThat(pushes.poll(30, TimeUnit.SECONDS).elements().getLast().asString()).isEqualTo("before");

                redis.stop();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (subscriber.isConnected() && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                assertThat(subscriber.isConnected()).as("the loss was noticed").isFalse();
                redis.startAgain();
                // Renewed once Redis counts the subscriber again; the publisher's commands wait for its reconnect.
                end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!(subscribers(publisher, "news") == 1 && patterns(publisher) == 1) && System.nanoTime() < end) {
                    Thread.sleep(10);
                }

                assertThat(publish(publisher, "news", "after")).as("RESP%d: the channel is renewed", protocol)
                        .isEqualTo(1);
                assertThat(publish(publisher, "sport.tennis", "after")).as("and the pattern").isEqualTo(1);
                assertThat(publish(publisher, "gone", "after")).as("not what was unsubscribed").isZero();
                RespValue.Push message = pushes.poll(30, TimeUnit.SECONDS);
                RespValue.Push pmessage = pushes.poll(30, TimeUnit.SECONDS);
                assertThat(List.of(message.kind(), message.elements().get(1).asString(),
                        message.elements().get(2).asString())).containsExactly("message", "news", "after");
                assertThat(List.of(pmessage.kind(), pmessage.elements().get(2).asString(),
                        pmessage.elements().get(3).asString())).containsExactly("pmessage", "sport.tennis", "after");
                assertThat(pushes).isEmpty();
                assertThat(reconnected).hasValue(1);
                assertThat(subscriber.reconnects()).isEqualTo(1);
            }
        }
    }

    private static long publish(ReconnectingRedisClient publisher, String channel, String message) throws Exception {
        return publisher.command("PUBLISH", channel, message).get(30, TimeUnit.SECONDS).asLong();
    }

    /** {@code PUBSUB NUMSUB channel}: how many clients Redis has subscribed to the channel. */
    private static long subscribers(ReconnectingRedisClient client, String channel) throws Exception {
        RespValue.Array reply = (RespValue.Array) client.command("PUBSUB", "NUMSUB", channel).get(30, TimeUnit.SECONDS);
        return reply.elements().get(1).asLong();
    }

    /** {@code PUBSUB NUMPAT}: how many pattern subscriptions Redis has. */
    private static long patterns(ReconnectingRedisClient client) throws Exception {
        return client.command("PUBSUB", "NUMPAT").get(30, TimeUnit.SECONDS).asLong();
    }
}
