package dev.aioops.bench.suite;

import dev.aioops.examples.http.GroupFileServer;
import dev.aioops.examples.http.HttpServerConfig;
import dev.aioops.examples.http.StaticFileServer;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.vertx.VertxAioProvider;
import io.vertx.core.transport.Transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The contenders of the HTTP group workload: the http example on one loop ({@link StaticFileServer}) against the
 * same server on every loop of a group ({@link GroupFileServer}: a listener per member with {@code SO_REUSEPORT},
 * each connection served by the member that accepted it), on each adapter.
 */
final class HttpGroupContenders {

    private static final long WAIT_SECONDS = 60;

    private HttpGroupContenders() {
    }

    /**
     * The http example on {@code members} loops of {@code provider}: one instance for 1, a group otherwise.
     */
    static Contender aioops(AioProvider provider, int members, Path root, String file, int connections,
                            Duration duration, HttpLoadGenerator load) {
        return aioops(provider, AdapterContender.nameOf(provider), members, root, file, connections, duration, load);
    }

    /** As {@link #aioops(AioProvider, int, Path, String, int, Duration, HttpLoadGenerator)}, named {@code label}. */
    static Contender aioops(AioProvider provider, String label, int members, Path root, String file, int connections,
                            Duration duration, HttpLoadGenerator load) {
        String name = label + (members == 1 ? ", 1 loop" : ", " + members + " loops");
        return new AdapterContender(provider, name) {
            private AioOperations single;
            private AioGroup group;
            private StaticFileServer server;
            private GroupFileServer groupServer;

            @Override
            public String unavailable() {
                String why = super.unavailable() != null ? super.unavailable() : load.unavailable();
                if (why == null && provider instanceof VertxAioProvider && label.contains("ring")
                        && !Transport.IO_URING.available()) {
                    why = "Vert.x's io_uring transport is not available: " + Transport.IO_URING.unavailabilityCause();
                }
                if (why == null && members > 1) {
                    try (AioOperations probe = provider.open(config())) {
                        if (!probe.supports(AioCapability.REUSE_PORT)) {
                            why = provider.name() + " has no REUSE_PORT here (Vert.x on its NIO transport)";
                        }
                    }
                }
                return why;
            }

            private static AioConfig config() {
                return AioConfig.builder().queueDepth(1024).build();
            }

            @Override
            public Trial run() throws Exception {
                InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
                if (members == 1 && server == null) {
                    single = provider.open(config());
                    server = StaticFileServer.start(single, any, root).get(WAIT_SECONDS, TimeUnit.SECONDS);
                } else if (members > 1 && groupServer == null) {
                    group = provider.openGroup(config(), members);
                    groupServer = GroupFileServer.start(group, any, root, HttpServerConfig.DEFAULTS)
                            .get(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                return load.run(members == 1 ? server.address() : groupServer.address(), file, connections,
                        duration);
            }

            @Override
            public void close() throws Exception {
                if (server != null) {
                    server.close();
                    server.closed().get(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                if (groupServer != null) {
                    groupServer.close();
                    groupServer.closed().get(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                if (single != null) {
                    single.close();
                }
                if (group != null) {
                    group.close();
                }
            }
        };
    }
}
