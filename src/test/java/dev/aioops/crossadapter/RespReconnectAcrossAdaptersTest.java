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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ReconnectingRedisClient} on every adapter against a real Redis that is stopped and started again: the
 * client reconnects with backoff, commands issued while it is down wait (bounded) or fail fast as the policy says.
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
}
