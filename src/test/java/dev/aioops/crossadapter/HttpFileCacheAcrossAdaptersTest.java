package dev.aioops.crossadapter;

import dev.aioops.examples.http.HttpServerConfig;
import dev.aioops.examples.http.StaticFileServer;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StaticFileServer} with its open-file cache on every adapter: many connections at once read the same cached
 * handles, a small file (read and written) and a large one (zero copy), with positional reads that must not disturb
 * each other; every body arrives whole, and the server closes cleanly with the handles it kept.
 */
@Timeout(60)
class HttpFileCacheAcrossAdaptersTest {

    private static final int CLIENTS = 8;
    private static final int REQUESTS = 10;

    @TempDir
    Path root;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void concurrent_connections_share_the_cached_handles(AioProvider adapter) throws Exception {
        byte[] small = new byte[4096];
        byte[] big = new byte[(1 << 20) + 777];
        new Random(3).nextBytes(small);
        new Random(4).nextBytes(big);
        Files.write(root.resolve("small.bin"), small);
        Files.write(root.resolve("big.bin"), big);
        try (AioOperations ops = adapter.open(Adapters.config())) {
            StaticFileServer server = StaticFileServer.start(ops,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root,
                    HttpServerConfig.DEFAULTS.withOpenFileCache(Duration.ofHours(1))).get(30, TimeUnit.SECONDS);
            try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
                for (int i = 0; i < CLIENTS * REQUESTS; i++) {
                    String path = i % 2 == 0 ? "/small.bin" : "/big.bin";
                    responses.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + server.address().getPort() + path)).build(), HttpResponse.BodyHandlers.ofByteArray()));
                }
                for (int i = 0; i < responses.size(); i++) {
                    HttpResponse<byte[]> response = responses.get(i).get(30, TimeUnit.SECONDS);
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.body()).isEqualTo(i % 2 == 0 ? small : big);
                }
            } finally {
                server.close();
                server.closed().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
