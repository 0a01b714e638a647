package dev.aioops.vertx;

import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** A real Redis on a free loopback port: {@code redis-server} from the PATH, else the one embedded-redis ships. */
final class EmbeddedRedis implements AutoCloseable {

    private final RedisServer server;
    private final InetSocketAddress address;

    private EmbeddedRedis(RedisServer server, InetSocketAddress address) {
        this.server = server;
        this.address = address;
    }

    static EmbeddedRedis start() throws IOException {
        File onPath = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "redis-server");
            if (!dir.isEmpty() && Files.isExecutable(candidate)) {
                onPath = candidate.toFile();
                break;
            }
        }
        File binary = onPath;
        ExecutableProvider executable = binary != null ? () -> binary : ExecutableProvider.newJarResourceProvider();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RedisServer server = RedisServer.newRedisServer().executableProvider(executable).bind("127.0.0.1")
                .port(port).setting("save \"\"").setting("appendonly no").build();
        server.start();
        return new EmbeddedRedis(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    InetSocketAddress address() {
        return address;
    }

    @Override
    public void close() throws IOException {
        server.stop();
    }
}
