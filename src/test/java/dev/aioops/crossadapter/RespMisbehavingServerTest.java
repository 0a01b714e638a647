package dev.aioops.crossadapter;

import dev.aioops.examples.resp.RedisClient;
import dev.aioops.examples.resp.RedisClientConfig;
import dev.aioops.examples.resp.RedisTimeoutException;
import dev.aioops.examples.resp.RespLimits;
import dev.aioops.examples.resp.RespProtocolException;
import dev.aioops.examples.resp.RespValue;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link RedisClient} on every adapter against a scripted server that misbehaves: silence, a stalled bulk string,
 * a flood of small elements, malformed replies and a reset in the middle of a reply. Each ends in a clear
 * exception within the deadlines, for the command and for every other pending one; nothing hangs, and the flood
 * is refused long before the heap would run out.
 */
@Timeout(60)
class RespMisbehavingServerTest {

    /** A short command deadline, so that the timeouts are seen quickly. */
    private static final RedisClientConfig QUICK = RedisClientConfig.DEFAULTS
            .withCommandTimeout(Duration.ofMillis(300)).withConnectTimeout(Duration.ofSeconds(5));

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    /** What the scripted server does with its one connection, after it has read the client's first bytes. */
    @FunctionalInterface
    private interface Script {
        void play(Socket connection, OutputStream out) throws Exception;
    }

    private InetSocketAddress serve(Script script) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        cleanup.add(server);
        Thread thread = Thread.ofPlatform().daemon().start(() -> {
            try (Socket connection = server.accept()) {
                connection.getInputStream().read(new byte[1024]); // the first command
                script.play(connection, connection.getOutputStream());
                Thread.sleep(30_000); // then silence, until the client gives up and closes
            } catch (Exception ignored) {
                // the client closed the connection
            }
        });
        cleanup.add(thread::interrupt);
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
    }

    private RedisClient connect(AioProvider adapter, InetSocketAddress address, RedisClientConfig config)
            throws Exception {
        AioOperations ops = adapter.open(Adapters.config());
        cleanup.add(ops);
        RedisClient client = RedisClient.connect(ops, address, config).get(30, TimeUnit.SECONDS);
        cleanup.add(client);
        return client;
    }

    private static Throwable failureOf(CompletableFuture<RespValue> reply) {
        assertThatThrownBy(() -> reply.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        return reply.exceptionNow();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_silent_server_fails_the_command_and_every_pending_one_at_the_deadline(AioProvider adapter)
            throws Exception {
        RedisClient client = connect(adapter, serve((connection, out) -> { }), QUICK);
        CompletableFuture<RespValue> first = client.ping();
        CompletableFuture<RespValue> second = client.get("k");
        assertThat(failureOf(first)).isInstanceOf(RedisTimeoutException.class).hasMessageContaining("PT0.3S");
        assertThat(failureOf(second)).isInstanceOf(RedisTimeoutException.class);
        assertThat(client.isOpen()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_bulk_string_that_stalls_half_way_fails_at_the_deadline(AioProvider adapter) throws Exception {
        RedisClient client = connect(adapter, serve((connection, out) -> {
            out.write(("$100000\r\n" + "x".repeat(50_000)).getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }), QUICK);
        assertThat(failureOf(client.get("k"))).isInstanceOf(RedisTimeoutException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_per_call_deadline_shorter_than_the_default_is_kept(AioProvider adapter) throws Exception {
        RedisClient client = connect(adapter, serve((connection, out) -> { }),
                RedisClientConfig.DEFAULTS.withCommandTimeout(Duration.ofSeconds(50)));
        CompletableFuture<RespValue> patient = client.ping();
        CompletableFuture<RespValue> hasty = client.command(Duration.ofMillis(200), "GET", "k");
        assertThat(failureOf(hasty)).isInstanceOf(RedisTimeoutException.class).hasMessageContaining("PT0.2S");
        assertThat(failureOf(patient)).isInstanceOf(RedisTimeoutException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_flood_of_small_elements_is_refused_before_the_heap_runs_out(AioProvider adapter) throws Exception {
        InetSocketAddress address = serve((connection, out) -> {
            byte[] elements = ":1\r\n".repeat(16_384).getBytes(StandardCharsets.US_ASCII);
            out.write("*16000000\r\n".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 10_000; i++) { // 640 MB on the wire if nobody stops it
                out.write(elements);
            }
        });
        AioOperations ops = adapter.open(Adapters.config());
        cleanup.add(ops);
        RedisClient client = RedisClient.connect(ops, address, QUICK.withCommandTimeout(Duration.ofSeconds(30))
                .withLimits(RespLimits.DEFAULTS.withMaxReplyBytes(16 << 20))).get(30, TimeUnit.SECONDS);
        cleanup.add(client);
        assertThat(failureOf(client.command("LRANGE", "l", "0", "-1")))
                .isInstanceOf(RespProtocolException.class).hasMessageContaining("maxReplyBytes");
        // What the flood once left behind: a client that said it was open, commands that hung, a dead loop.
        assertThat(client.isOpen()).isFalse();
        assertThat(failureOf(client.ping())).as("a later command fails at once")
                .isInstanceOf(RespProtocolException.class);
        CompletableFuture<Void> loopRuns = new CompletableFuture<>();
        ops.execute(() -> loopRuns.complete(null));
        loopRuns.get(30, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_malformed_reply_fails_every_pending_command_clearly(AioProvider adapter) throws Exception {
        RedisClient client = connect(adapter, serve((connection, out) -> {
            out.write("+OK\r\n:12x\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }), QUICK);
        CompletableFuture<RespValue> first = client.ping();
        CompletableFuture<RespValue> second = client.ping();
        CompletableFuture<RespValue> third = client.ping();
        assertThat(first.get(30, TimeUnit.SECONDS)).isEqualTo(new RespValue.SimpleString("OK"));
        assertThat(failureOf(second)).isInstanceOf(RespProtocolException.class).hasMessageContaining("not a number");
        assertThat(failureOf(third)).isInstanceOf(RespProtocolException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_reset_in_the_middle_of_a_reply_fails_the_pending_commands(AioProvider adapter) throws Exception {
        RedisClient client = connect(adapter, serve((connection, out) -> {
            out.write("$10\r\nhalf".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            connection.setSoLinger(true, 0);
            connection.close();
        }), QUICK.withCommandTimeout(Duration.ofSeconds(30)));
        CompletableFuture<RespValue> reply = client.get("k");
        CompletableFuture<RespValue> next = client.ping();
        assertThat(failureOf(reply)).isInstanceOf(IOException.class).isNotInstanceOf(RedisTimeoutException.class);
        assertThat(failureOf(next)).isInstanceOf(IOException.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_connect_that_is_never_answered_fails_at_the_connect_deadline(AioProvider adapter) throws Exception {
        // A listener whose backlog is full and never accepted: the kernel drops further SYNs, so the connect hangs.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort());
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket filler = new Socket();
                    try {
                        filler.connect(address, 200);
                    } catch (IOException timedOut) {
                        // the backlog is full
                    }
                    fillers.add(filler);
                }
                AioOperations ops = adapter.open(Adapters.config());
                cleanup.add(ops);
                CompletableFuture<RedisClient> connecting = RedisClient.connect(ops, address,
                        QUICK.withConnectTimeout(Duration.ofMillis(300)));
                assertThatThrownBy(() -> connecting.get(30, TimeUnit.SECONDS)).cause()
                        .isInstanceOf(RedisTimeoutException.class).hasMessageContaining("took longer than");
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }
}
