package dev.aioops.demo;

import dev.aioops.examples.http.GroupFileServer;
import dev.aioops.examples.http.HttpServerConfig;
import dev.aioops.examples.http.StaticFileServer;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioProvider;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The demo's group step: the http example library served from every loop of a group of two. Each loop listens on
 * the same port with {@code SO_REUSEPORT}, the kernel spreads the connections over the loops, and each connection
 * is served by the loop that accepted it. The step makes requests on fresh connections and prints how many each
 * loop served. Blocking waits happen on the main thread, never on a loop.
 */
final class GroupHttpStep {

    private static final int REQUESTS = 20;
    private static final long WAIT_SECONDS = 60;

    private GroupHttpStep() {
    }

    static void run(AioProvider provider, Path dir) throws Exception {
        try (AioGroup group = provider.openGroup(AioConfig.defaults(), 2)) {
            if (!group.member(0).supports(AioCapability.REUSE_PORT)) {
                System.out.printf("group: skipped, '%s' cannot share a port between loops here (REUSE_PORT)%n",
                        group.adapterName());
                return;
            }
            Path root = Files.createDirectories(dir.resolve("www"));
            Files.writeString(root.resolve("index.html"), "<h1>served by a group</h1>\n");
            GroupFileServer server = GroupFileServer.start(group,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root, HttpServerConfig.DEFAULTS)
                    .get(WAIT_SECONDS, TimeUnit.SECONDS);
            try {
                int ok = 0;
                for (int i = 0; i < REQUESTS; i++) {
                    ok += get(server.address()).startsWith("HTTP/1.1 200") ? 1 : 0;
                }
                StringBuilder perLoop = new StringBuilder();
                for (StaticFileServer member : server.servers()) {
                    perLoop.append(perLoop.isEmpty() ? "" : " + ").append(member.acceptedConnections());
                }
                System.out.printf("group: http server on %d '%s' loops at %s: %d/%d requests answered 200, "
                        + "connections per loop %s%n", group.size(), group.adapterName(), server.address(), ok,
                        REQUESTS, perLoop);
                if (ok != REQUESTS) {
                    throw new IllegalStateException("some requests failed");
                }
            } finally {
                server.close();
                server.closed().get(WAIT_SECONDS, TimeUnit.SECONDS);
                Files.delete(root.resolve("index.html"));
                Files.delete(root);
            }
        }
    }

    /** One GET on a fresh connection, so that the kernel picks a loop for each. */
    private static String get(InetSocketAddress address) throws Exception {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            try (InputStream in = socket.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }
    }
}
