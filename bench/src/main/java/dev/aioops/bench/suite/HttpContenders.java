package dev.aioops.bench.suite;

import dev.aioops.examples.http.HttpServerConfig;
import dev.aioops.examples.http.StaticFileServer;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.transport.Transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The contenders of the HTTP workload: GETs of one static file (4 KiB or 1 MiB) over keep-alive connections,
 * driven by an {@link HttpLoadGenerator} ({@code wrk}, else the Java one: a separate process either way, so its CPU
 * is not counted: the CPU column is the server's). Each server runs on one event loop: the http example on an aioops
 * adapter, and Vert.x's HTTP server answering with {@code sendFile}.
 */
final class HttpContenders {

    private static final long WAIT_SECONDS = 60;
    /** nginx's {@code open_file_cache_valid} in {@link NginxContender}'s configuration. */
    static final Duration OPEN_FILE_CACHE = Duration.ofSeconds(60);
    /** The system property that adds {@link #variants}. */
    static final String VARIANTS = "bench.http.variants";
    /**
     * Vert.x's transport for sendFile, its best measured on the benchmark machine (Netty's native epoll, with
     * Vert.x's default {@code TCP_NODELAY}): as fast as NIO or faster (52k against 49k requests/s of the 4 KiB file
     * side by side), at the least CPU per request of the three; io_uring the slowest (44k), at the most CPU.
     */
    static final Transport VERTX_TRANSPORT = Transport.EPOLL;
    private static final AioConfig LOOP = AioConfig.builder().queueDepth(1024).build();

    private HttpContenders() {
    }

    /**
     * The http example library on an aioops adapter, with an open-file cache as nginx's (valid for
     * {@link #OPEN_FILE_CACHE}).
     */
    static Contender aioops(AioProvider provider, Path root, String file, int connections, Duration duration,
                            HttpLoadGenerator load) {
        return aioops(provider, LOOP, HttpServerConfig.DEFAULTS.withOpenFileCache(OPEN_FILE_CACHE), null, root, file,
                connections, duration, load);
    }

    /**
     * The http example library on an aioops adapter opened with {@code loop}, served with {@code config}; named for
     * the adapter unless {@code name} is given.
     */
    static Contender aioops(AioProvider provider, AioConfig loop, HttpServerConfig config, String name, Path root,
                            String file, int connections, Duration duration, HttpLoadGenerator load) {
        return new AdapterContender(provider) {
            private AioOperations ops;
            private StaticFileServer server;

            @Override
            public String name() {
                return name != null ? name : super.name();
            }

            @Override
            public String unavailable() {
                return super.unavailable() != null ? super.unavailable() : load.unavailable();
            }

            @Override
            public Trial run() throws Exception {
                if (server == null) {
                    ops = provider.open(loop);
                    server = StaticFileServer.start(ops, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                            root, config).get(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                return load.run(server.address(), file, connections, duration);
            }

            @Override
            public void close() throws Exception {
                if (server != null) {
                    server.close();
                    server.closed().get(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                if (ops != null) {
                    ops.close();
                }
            }
        };
    }

    /**
     * With {@code -Dbench.http.variants=true} (off by default, it lengthens the workload): the same servers in their
     * other configurations, for side-by-side comparisons: the http example on io_uring without its open-file cache,
     * without zero copy, and with 64 kernel workers (its socket splices run on them); Vert.x sendFile on its other
     * transports.
     */
    static List<Contender> variants(List<AioProvider> adapters, Path root, String file, int connections,
                                    Duration duration, HttpLoadGenerator load) {
        if (!Boolean.getBoolean(VARIANTS)) {
            return List.of();
        }
        List<Contender> variants = new ArrayList<>();
        for (AioProvider a : adapters) {
            if (a.name().equals("uring")) {
                HttpServerConfig cached = HttpServerConfig.DEFAULTS.withOpenFileCache(OPEN_FILE_CACHE);
                variants.add(aioops(a, LOOP, HttpServerConfig.DEFAULTS, "aioops uring, no file cache", root, file,
                        connections, duration, load));
                variants.add(aioops(a, LOOP, cached.withZeroCopyThreshold(Long.MAX_VALUE),
                        "aioops uring, no zero copy", root, file, connections, duration, load));
                variants.add(aioops(a, AioConfig.builder().queueDepth(1024).maxKernelWorkers(64).build(), cached,
                        "aioops uring, 64 kernel workers", root, file, connections, duration, load));
            }
        }
        for (Transport t : List.of(Transport.NIO, Transport.EPOLL, Transport.IO_URING)) {
            if (t != VERTX_TRANSPORT) {
                variants.add(vertxSendFile("Vert.x sendFile " + t.name(), t, root, file, connections, duration,
                        load));
            }
        }
        return variants;
    }

    /** Vert.x's HTTP server on one event loop, answering every request with {@code sendFile}. */
    static Contender vertxSendFile(Path root, String file, int connections, Duration duration,
                                   HttpLoadGenerator load) {
        return vertxSendFile("Vert.x sendFile", VERTX_TRANSPORT, root, file, connections, duration, load);
    }

    /** Vert.x's HTTP server on one event loop of {@code transport}, answering every request with {@code sendFile}. */
    static Contender vertxSendFile(String name, Transport transport, Path root, String file, int connections,
                                   Duration duration, HttpLoadGenerator load) {
        return new Contender() {
            private Vertx vertx;
            private HttpServer server;

            @Override
            public String name() {
                return name;
            }

            @Override
            public String unavailable() {
                if (!transport.available()) {
                    return "Vert.x's " + transport.name() + " transport is not available: "
                            + transport.unavailabilityCause();
                }
                return load.unavailable();
            }

            @Override
            public Trial run() throws Exception {
                if (server == null) {
                    vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(1)).withTransport(transport)
                            .build();
                    String path = root.resolve(file).toString();
                    server = vertx.createHttpServer()
                            .requestHandler(request -> request.response()
                                    .putHeader("Content-Type", "text/plain").sendFile(path))
                            .listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture()
                            .get(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                return load.run(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.actualPort()), file,
                        connections, duration);
            }

            @Override
            public void close() throws Exception {
                if (vertx != null) {
                    vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
                }
            }
        };
    }
}
