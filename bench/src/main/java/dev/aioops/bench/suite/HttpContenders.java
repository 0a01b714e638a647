package dev.aioops.bench.suite;

import dev.aioops.examples.http.StaticFileServer;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contenders of the HTTP workload: GETs of one 4 KiB static file over keep-alive connections, driven by
 * {@code wrk} (a separate process, so its CPU is not counted: the CPU column is the server's). Each server runs on
 * one event loop: the http example on an aioops adapter, and Vert.x's HTTP server answering with {@code sendFile}.
 */
final class HttpContenders {

    private static final long WAIT_SECONDS = 60;
    private static final Pattern REQUESTS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors:.*");

    private HttpContenders() {
    }

    static boolean wrkInstalled() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** The http example library on an aioops adapter. */
    static Contender aioops(AioProvider provider, Path root, String file, int connections, Duration duration) {
        return new AdapterContender(provider) {
            private AioOperations ops;
            private StaticFileServer server;

            @Override
            public String unavailable() {
                return super.unavailable() != null ? super.unavailable() : wrkMissing();
            }

            @Override
            public Trial run() throws Exception {
                if (server == null) {
                    ops = provider.open(AioConfig.builder().queueDepth(1024).build());
                    server = StaticFileServer.start(ops, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                            root).get(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                return wrk(server.address(), file, connections, duration);
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
    static Contender vertxSendFile(Path root, String file, int connections, Duration duration) {
        return new Contender() {
            private Vertx vertx;
            private HttpServer server;

            @Override
            public String name() {
                return "Vert.x sendFile";
            }

            @Override
            public String unavailable() {
                return wrkMissing();
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
                return wrk(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.actualPort()), file,
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

    private static String wrkMissing() {
        return wrkInstalled() ? null : "wrk is not installed (apt-get install wrk)";
    }

    /** One wrk run against a server of this process; CPU is this process's, that is the server's. */
    private static Trial wrk(InetSocketAddress address, String file, int connections, Duration duration)
            throws Exception {
        String url = "http://127.0.0.1:" + address.getPort() + "/" + file;
        long seconds = Math.max(1, duration.toSeconds());
        Trial t = Trial.measure(() -> {
            Process p = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", url)
                    .redirectErrorStream(true).start();
            String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds + WAIT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("wrk failed: " + report);
            }
            Matcher errors = NON_2XX.matcher(report);
            if (errors.find() || SOCKET_ERRORS.matcher(report).find()) {
                throw new IllegalStateException("wrk saw errors: " + report);
            }
            Matcher m = REQUESTS.matcher(report);
            if (!m.find()) {
                throw new IllegalStateException("wrk output lacks Requests/sec: " + report);
            }
            return new Trial.Outcome(Double.parseDouble(m.group(1)) * seconds, 0);
        });
        // wrk measures its own span; the throughput is its requests over the run's duration.
        return new Trial(t.work(), seconds * 1_000_000_000L, t.userNanos(), t.systemNanos(), 0);
    }
}
