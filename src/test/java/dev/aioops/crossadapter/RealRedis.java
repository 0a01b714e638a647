package dev.aioops.crossadapter;

import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real Redis server for the suite: {@code redis-server} from the {@code PATH} when there is one, else the
 * binary that the {@code embedded-redis} test dependency ships for this platform. Bound to loopback on a free
 * port, without persistence; stopped by {@link #close()}.
 */
final class RealRedis implements AutoCloseable {

    private final RedisServer server;
    private final InetSocketAddress address;
    private final String executable;

    private RealRedis(RedisServer server, InetSocketAddress address, String executable) {
        this.server = server;
        this.address = address;
        this.executable = executable;
    }

    static RealRedis start() throws IOException {
        File onPath = findOnPath("redis-server");
        ExecutableProvider executable = onPath != null ? () -> onPath : ExecutableProvider.newJarResourceProvider();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        RedisServer server = RedisServer.newRedisServer().executableProvider(executable).bind("127.0.0.1")
                .port(port).setting("save \"\"").setting("appendonly no").build();
        server.start();
        return new RealRedis(server, new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                onPath != null ? onPath.toString() : "the binary shipped by embedded-redis");
    }

    private static File findOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toFile();
            }
        }
        return null;
    }

    InetSocketAddress address() {
        return address;
    }

    String executable() {
        return executable;
    }

    @Override
    public void close() throws IOException {
        server.stop();
    }
}
