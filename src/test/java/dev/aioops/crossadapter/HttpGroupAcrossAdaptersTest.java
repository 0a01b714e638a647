package dev.aioops.crossadapter;

import dev.aioops.examples.http.GroupFileServer;
import dev.aioops.examples.http.HttpServerConfig;
import dev.aioops.examples.http.StaticFileServer;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioProvider;
import dev.aioops.vertx.VertxAioProvider;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link GroupFileServer} on a group of two loops of every adapter (and Vert.x on its io_uring transport, the shared
 * ring): the kernel spreads the connections over both members' listeners, every request is served, the connection
 * limit counts the whole group, and close stops every member.
 */
@Timeout(60)
class HttpGroupAcrossAdaptersTest {

    private static final int CONNECTIONS = 40;

    @TempDir
    Path dir;

    static Stream<Named<AioProvider>> adapters() {
        Stream<Named<AioProvider>> ring = Transport.IO_URING.available()
                ? Stream.of(Named.of("vertx on io_uring", new VertxAioProvider(Transport.IO_URING)))
                : Stream.empty();
        return Stream.concat(Adapters.available(), ring);
    }

    private GroupFileServer start(AioGroup group, HttpServerConfig config) throws Exception {
        assumeTrue(group.member(0).supports(AioCapability.REUSE_PORT),
                group.adapterName() + " has no REUSE_PORT here (Vert.x on NIO)");
        Path root = Files.createDirectories(dir.resolve("www"));
        byte[] page = new byte[4096];
        new Random(14).nextBytes(page);
        Files.write(root.resolve("4k.bin"), page);
        return GroupFileServer.start(group, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root, config)
                .get(30, TimeUnit.SECONDS);
    }

    /** Sends one request and returns the response head and body as text (ISO-8859-1, byte for byte). */
    private static String request(Socket socket, String path, boolean close) throws Exception {
        OutputStream out = socket.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + (close ? "Connection: close\r\n" : "") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        while (true) {
            String text = response.toString(StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            if (end >= 0) {
                int length = Integer.parseInt(text.replaceAll("(?s).*[Cc]ontent-[Ll]ength: (\\d+).*", "$1"));
                if (response.size() >= end + 4 + length) {
                    return text;
                }
            }
            int n = in.read(chunk);
            if (n < 0) {
                return response.toString(StandardCharsets.ISO_8859_1);
            }
            response.write(chunk, 0, n);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void connections_spread_over_both_members_and_all_are_served(AioProvider adapter) throws Exception {
        try (AioGroup group = adapter.openGroup(Adapters.config(), 2)) {
            GroupFileServer server = start(group, HttpServerConfig.DEFAULTS);
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
                        String response = request(socket, "/4k.bin", true);
                        assertThat(response).startsWith("HTTP/1.1 200").contains("Content-Length: 4096");
                        assertThat(response.length() - response.indexOf("\r\n\r\n") - 4).isEqualTo(4096);
                    }
                }
                List<StaticFileServer> members = server.servers();
                assertThat(members).hasSize(2);
                long first = members.get(0).acceptedConnections();
                long second = members.get(1).acceptedConnections();
                assertThat(first + second).isEqualTo(CONNECTIONS);
                assertThat(first).as("connections served by member 0").isPositive();
                assertThat(second).as("connections served by member 1").isPositive();
            } finally {
                server.close();
                server.closed().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adapters")
    void the_connection_limit_counts_the_whole_group_and_close_stops_every_member(AioProvider adapter)
            throws Exception {
        try (AioGroup group = adapter.openGroup(Adapters.config(), 2)) {
            GroupFileServer server = start(group, HttpServerConfig.DEFAULTS.withMaxConnections(3));
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort());
                    held.add(socket);
                    assertThat(request(socket, "/4k.bin", false)).startsWith("HTTP/1.1 200");
                }
                assertThat(server.openConnections()).isEqualTo(3);
                // Whichever member takes them, a connection beyond the group's limit is refused at once. It sends
                // nothing: a request unread at the refusal's close would make the kernel reset the connection,
                // possibly before the 503 is read.
                for (int i = 0; i < 4; i++) {
                    try (Socket extra = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
                        assertThat(new String(extra.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                                .startsWith("HTTP/1.1 503");
                    }
                }
            } finally {
                for (Socket s : held) {
                    s.close();
                }
                server.close();
                server.closed().get(30, TimeUnit.SECONDS);
            }
            try (Socket refused = new Socket()) {
                refused.connect(server.address(), 5000);
                assertThat(refused.getInputStream().read()).as("nothing serves after close").isEqualTo(-1);
            } catch (java.net.SocketException expected) {
                // refused, or reset by a listener closing with the connection in its queue: nothing serves
            }
        }
    }
}
