package dev.aioops.crossadapter;

import dev.aioops.examples.http.HttpServerConfig;
import dev.aioops.examples.http.HttpTimeouts;
import dev.aioops.examples.http.StaticFileServer;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StaticFileServer}'s deadlines and connection limit on every adapter, with real sockets: slow, silent and
 * non-reading clients are cut off, and connections beyond the limit are refused at once. The timeouts are short
 * (a few hundred milliseconds); the assertions are about what happens, never about how fast.
 */
@Timeout(120)
class HttpLimitsAcrossAdaptersTest {

    private static final HttpTimeouts SHORT = new HttpTimeouts(Duration.ofMillis(400), Duration.ofMillis(400),
            Duration.ofMillis(400), Duration.ofMillis(400));

    @TempDir
    Path root;

    @BeforeEach
    void files() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hello, world\n");
    }

    private void withServer(AioProvider adapter, HttpServerConfig config, ServerTest test) throws Exception {
        try (AioOperations ops = adapter.open(Adapters.config())) {
            StaticFileServer server = StaticFileServer.start(ops,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root, config)
                    .get(30, TimeUnit.SECONDS);
            try {
                test.run(server);
            } finally {
                server.close();
                server.closed().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @FunctionalInterface
    private interface ServerTest {
        void run(StaticFileServer server) throws Exception;
    }

    private static Socket connect(StaticFileServer server) throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort());
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Everything the server sends until it closes the connection (a reset after a response counts as a close). */
    private static String readToEnd(Socket socket) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n; (n = in.read(chunk)) > 0; ) {
                all.write(chunk, 0, n);
            }
        } catch (SocketException reset) {
            // the server closed with input unread
        }
        return all.toString(StandardCharsets.ISO_8859_1);
    }

    private static void awaitOpenConnections(StaticFileServer server, int expected) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.openConnections() != expected && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(server.openConnections()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void slowloris_clients_get_408_at_the_head_deadline_and_are_all_closed(AioProvider adapter) throws Exception {
        withServer(adapter, HttpServerConfig.DEFAULTS.withTimeouts(SHORT), server -> {
            List<Socket> slow = new ArrayList<>();
            try {
                for (int i = 0; i < 200; i++) {
                    Socket socket = connect(server);
                    slow.add(socket);
                    socket.getOutputStream().write("GET /hello.txt HTTP/1.1\r\nX-a: ".getBytes(
                            StandardCharsets.ISO_8859_1));
                }
                // Keep trickling one byte at a time to every connection, as a slowloris client does.
                for (int round = 0; round < 10; round++) {
                    for (Socket socket : slow) {
                        try {
                            socket.getOutputStream().write('a');
                        } catch (IOException closedByServer) {
                            // cut off already
                        }
                    }
                    Thread.sleep(100);
                }
                for (Socket socket : slow) {
                    assertThat(readToEnd(socket)).startsWith("HTTP/1.1 408 ");
                }
                awaitOpenConnections(server, 0);
            } finally {
                for (Socket socket : slow) {
                    socket.close();
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void silent_and_idle_connections_are_closed_without_an_answer(AioProvider adapter) throws Exception {
        withServer(adapter, HttpServerConfig.DEFAULTS.withTimeouts(SHORT), server -> {
            try (Socket silent = connect(server); Socket idle = connect(server)) {
                idle.getOutputStream().write("GET /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                assertThat(readToEnd(silent)).isEmpty();
                assertThat(readToEnd(idle)).startsWith("HTTP/1.1 200 ").endsWith("hello, world\n")
                        .containsOnlyOnce("HTTP/1.1");
                awaitOpenConnections(server, 0);
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_client_that_stops_reading_is_dropped_when_the_write_stalls(AioProvider adapter) throws Exception {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(root.resolve("large.bin"))) {
            for (int i = 0; i < 64; i++) {
                out.write(block);
            }
        }
        withServer(adapter, HttpServerConfig.DEFAULTS.withTimeouts(SHORT), server -> {
            try (Socket reader = new Socket()) {
                reader.setReceiveBufferSize(4096);
                reader.connect(server.address());
                reader.getOutputStream().write("GET /large.bin HTTP/1.1\r\nHost: a\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                awaitOpenConnections(server, 0); // never read: the server gives up on the stalled write
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void connections_beyond_the_limit_get_503_at_once_and_a_freed_place_is_served(AioProvider adapter)
            throws Exception {
        withServer(adapter, HttpServerConfig.DEFAULTS.withMaxConnections(3), server -> {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(connect(server));
                }
                awaitOpenConnections(server, 3);
                for (int i = 0; i < 5; i++) {
                    try (Socket extra = connect(server)) {
                        assertThat(readToEnd(extra)).startsWith("HTTP/1.1 503 ").contains("Retry-After: 1");
                    }
                }
                assertThat(server.openConnections()).isEqualTo(3);
                held.removeFirst().close();
                awaitOpenConnections(server, 2);
                try (Socket next = connect(server)) {
                    next.getOutputStream().write("GET /hello.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1));
                    assertThat(readToEnd(next)).startsWith("HTTP/1.1 200 ");
                }
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        });
    }
}
