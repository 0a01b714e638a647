package dev.aioops.crossadapter;

import dev.aioops.examples.checksum.ByteChecksummer;
import dev.aioops.examples.checksum.ByteSum;
import dev.aioops.examples.http.StaticFileServer;
import dev.aioops.examples.resp.RedisClient;
import dev.aioops.examples.resp.RespValue;
import dev.aioops.fixtures.RedisServerFixture;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The application closes its {@link AioOperations} while a library is in the middle of its work: every pending
 * result must still arrive (as a failure), nothing may hang, and the peers must see their connections end.
 */
@Timeout(60)
class ClosingUnderLibrariesAcrossAdaptersTest {

    private static RedisServerFixture redis;

    @TempDir
    Path dir;

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

    /** The peer closed: a FIN (end of stream), or a RST when it closed with bytes of ours unread. */
    private static void assertEnds(InputStream in) throws IOException {
        try {
            assertThat(in.read()).as("the connection ends").isEqualTo(-1);
        } catch (SocketException reset) {
            assertThat(reset).hasMessageContaining("reset");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_redis_command_waiting_for_its_reply_fails(AioProvider adapter) throws Exception {
        AioOperations ops = adapter.open(Adapters.config());
        RedisClient client = RedisClient.connect(ops, redis.address()).get(30, TimeUnit.SECONDS);
        assertThat(client.ping().get(30, TimeUnit.SECONDS).asString()).isEqualTo("PONG");
        CompletableFuture<RespValue> blocked = client.command("BLPOP", "aioops:" + UUID.randomUUID(), "20");

        ops.close();

        assertThatThrownBy(() -> blocked.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(IOException.class);
        assertThat(client.isOpen()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_stream_sum_in_progress_fails(AioProvider adapter) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AioOperations ops = adapter.open(Adapters.config());
            CompletableFuture<ByteSum> sum = new ByteChecksummer(ops).sumConnection(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            try (Socket peer = server.accept(); OutputStream out = peer.getOutputStream()) {
                out.write(new byte[1000]); // and then nothing: the sum waits for more
                out.flush();

                ops.close();

                assertThatThrownBy(() -> sum.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(IOException.class);
                peer.setSoTimeout(30_000);
                assertEnds(peer.getInputStream());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void an_http_server_with_a_half_received_request_lets_go_of_its_clients(AioProvider adapter) throws Exception {
        Path root = Files.createDirectory(dir.resolve("www"));
        Files.writeString(root.resolve("a.txt"), "a");
        AioOperations ops = adapter.open(Adapters.config());
        StaticFileServer server = StaticFileServer.start(ops,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root).get(30, TimeUnit.SECONDS);
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
            client.setSoTimeout(30_000);
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            out.write("GET /a.txt HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            byte[] first = new byte[4096];
            int n = in.read(first);
            assertThat(new String(first, 0, n, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 OK");
            out.write("GET /a.t".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            CountDownLatch closing = new CountDownLatch(1);
            Thread closer = Thread.ofPlatform().start(() -> {
                closing.countDown();
                ops.close();
            });
            closing.await();

            assertEnds(in);
            closer.join(30_000);
            assertThat(closer.isAlive()).isFalse();
            server.closed().get(30, TimeUnit.SECONDS);
        }
    }
}
