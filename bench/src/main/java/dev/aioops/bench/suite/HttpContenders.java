package dev.aioops.bench.suite;

import dev.aioops.examples.http.StaticFileServer;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The contenders of the HTTP workload: GETs of one 4 KiB static file over keep-alive connections, driven by an
 * {@link HttpLoadGenerator} ({@code wrk}, else the Java one: a separate process either way, so its CPU is not
 * counted: the CPU column is the server's). Each server runs on one event loop: the http example on an aioops
 * adapter, and Vert.x's HTTP server answering with {@code sendFile}.
 */
final class HttpContenders {

    private static final long WAIT_SECONDS = 60;

    private HttpContenders() {
    }

    /** The http example library on an aioops adapter. */
    static Contender aioops(AioProvider provider, Path root, String file, int connections, Duration duration,
                            HttpLoadGenerator load) {
        return new AdapterContender(provider) {
            private AioOperations ops;
            private StaticFileServer server;

            @Override
            public String unavailable() {
                return super.unavailable() != null ? super.unavailable() : load.unavailable();
            }

            @Override
            public Trial run() throws Exception {
                if (server == null) {
                    ops = provider.open(AioConfig.builder().queueDepth(1024).build());
                    server = StaticFileServer.start(ops, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                            root).get(WAIT_SECONDS, TimeUnit.SECONDS);
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

    /** Vert.x's HTTP server on one event loop, answering every request with {@code sendFile}. */
    static Contender vertxSendFile(Path root, String file, int connections, Duration duration,
                                   HttpLoadGenerator load) {
        return new Contender() {
            private Vertx vertx;
            private HttpServer server;

            @Override
            public String name() {
                return "Vert.x sendFile";
            }

            @Override
            public String unavailable() {
                return load.unavailable();
            }

            @Override
            public Trial run() throws Exception {
                if (server == null) {
                    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
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
