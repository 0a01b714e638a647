package dev.aioops.crossadapter;

import dev.aioops.examples.http.StaticFileServer;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
 * {@link StaticFileServer} on every adapter: the JDK's {@link HttpClient} as the client, and a raw socket for
 * what no well-behaved client sends (pipelining, malformed requests, traversal attempts).
 */
@Timeout(60)
class HttpAcrossAdaptersTest {

    @TempDir
    Path dir;
    private Path root;
    private byte[] big;

    @BeforeEach
    void files() throws Exception {
        root = Files.createDirectory(dir.resolve("www"));
        Files.writeString(root.resolve("index.html"), "<h1>aioops</h1>");
        Files.writeString(root.resolve("hello.txt"), "hello, world\n");
        Files.createDirectories(root.resolve("data dir"));
        Files.writeString(root.resolve("data dir/x.json"), "{\"x\":1}");
        big = new byte[(2 << 20) + 12345];
        new Random(5).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.writeString(dir.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(root.resolve("escape.txt"), dir.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("up"), java.nio.file.Path.of(".."));
        Files.createSymbolicLink(root.resolve("data dir/alias.txt"), java.nio.file.Path.of("../hello.txt"));
    }

    /** Runs a test body against a server on a fresh instance of the adapter. */
    private void withServer(AioProvider adapter, ServerTest test) throws Exception {
        try (AioOperations ops = adapter.open(Adapters.config())) {
            StaticFileServer server = StaticFileServer.start(ops,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), root).get(30, TimeUnit.SECONDS);
            try {
                test.run(server.address());
            } finally {
                server.close();
                server.closed().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @FunctionalInterface
    private interface ServerTest {
        void run(InetSocketAddress address) throws Exception;
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    private static URI uri(InetSocketAddress address, String path) {
        return URI.create("http://127.0.0.1:" + address.getPort() + path);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void serves_files_to_http_client_with_types_and_lengths(AioProvider adapter) throws Exception {
        withServer(adapter, address -> {
            try (HttpClient http = client()) {
                HttpResponse<String> hello = http.send(HttpRequest.newBuilder(uri(address, "/hello.txt")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(hello.statusCode()).isEqualTo(200);
                assertThat(hello.body()).isEqualTo("hello, world\n");
                assertThat(hello.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
                assertThat(hello.headers().firstValue("content-length")).hasValue("13");

                HttpResponse<String> index = http.send(HttpRequest.newBuilder(uri(address, "/")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(index.body()).isEqualTo("<h1>aioops</h1>");
                assertThat(index.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");

                HttpResponse<String> json = http.send(HttpRequest.newBuilder(uri(address, "/data%20dir/x.json"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(json.body()).isEqualTo("{\"x\":1}");
                assertThat(json.headers().firstValue("content-type")).hasValue("application/json");

                HttpResponse<byte[]> blob = http.send(HttpRequest.newBuilder(uri(address, "/big.bin")).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(blob.body()).isEqualTo(big);

                HttpResponse<Void> head = http.send(HttpRequest.newBuilder(uri(address, "/big.bin"))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.discarding());
                assertThat(head.statusCode()).isEqualTo(200);
                assertThat(head.headers().firstValue("content-length")).hasValue(Integer.toString(big.length));
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void answers_errors_with_bodies(AioProvider adapter) throws Exception {
        withServer(adapter, address -> {
            try (HttpClient http = client()) {
                HttpResponse<String> missing = http.send(HttpRequest.newBuilder(uri(address, "/missing.txt")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(missing.statusCode()).isEqualTo(404);
                assertThat(missing.body()).startsWith("404 Not Found");

                HttpResponse<String> escape = http.send(HttpRequest.newBuilder(uri(address, "/escape.txt")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(escape.statusCode()).as("a symlink out of the root").isEqualTo(404);
                assertThat(escape.body()).doesNotContain("secret");

                HttpResponse<String> up = http.send(HttpRequest.newBuilder(uri(address, "/up/secret.txt")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(up.statusCode()).as("a relative link to the parent").isEqualTo(404);
                assertThat(up.body()).doesNotContain("secret");

                HttpResponse<String> alias = http.send(HttpRequest.newBuilder(uri(address, "/data%20dir/alias.txt"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(alias.statusCode()).as("a relative link that stays inside").isEqualTo(200);
                assertThat(alias.body()).isEqualTo("hello, world\n");

                HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri(address, "/hello.txt"))
                        .POST(HttpRequest.BodyPublishers.ofString("data")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(post.statusCode()).isEqualTo(405);
                assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void serves_many_concurrent_requests(AioProvider adapter) throws Exception {
        withServer(adapter, address -> {
            try (HttpClient http = client()) {
                List<CompletableFuture<HttpResponse<byte[]>>> responses = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    String path = i % 4 == 0 ? "/big.bin" : "/hello.txt";
                    responses.add(http.sendAsync(HttpRequest.newBuilder(uri(address, path)).build(),
                            HttpResponse.BodyHandlers.ofByteArray()));
                }
                for (int i = 0; i < responses.size(); i++) {
                    byte[] body = responses.get(i).get(30, TimeUnit.SECONDS).body();
                    assertThat(body).isEqualTo(i % 4 == 0 ? big
                            : "hello, world\n".getBytes(StandardCharsets.UTF_8));
                }
            }
        });
    }

    /**
     * Sends raw bytes and returns everything the server sent until it closed: every request given here ends the
     * connection (an error that closes it, or {@code Connection: close}). No half-close: TCP allows it, but not
     * every adapter keeps writing after the peer's FIN (Vert.x closes the connection).
     */
    private static String exchange(InetSocketAddress address, String request) throws Exception {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), address.getPort())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            in.transferTo(all);
            return all.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Ranges (206, 416, If-Range) and conditional requests (304 by ETag and by date), as nginx answers them. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void serves_ranges_and_answers_conditional_requests(AioProvider adapter) throws Exception {
        withServer(adapter, address -> {
            try (HttpClient http = client()) {
                HttpResponse<byte[]> first = http.send(HttpRequest.newBuilder(uri(address, "/big.bin"))
                        .header("Range", "bytes=10-19").build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(first.statusCode()).isEqualTo(206);
                assertThat(first.headers().firstValue("content-range")).hasValue("bytes 10-19/" + big.length);
                assertThat(first.body()).isEqualTo(java.util.Arrays.copyOfRange(big, 10, 20));

                HttpResponse<byte[]> tail = http.send(HttpRequest.newBuilder(uri(address, "/big.bin"))
                        .header("Range", "bytes=-7").build(), HttpResponse.BodyHandlers.ofByteArray());
                assertThat(tail.statusCode()).isEqualTo(206);
                assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(big, big.length - 7, big.length));

                HttpResponse<String> beyond = http.send(HttpRequest.newBuilder(uri(address, "/hello.txt"))
                        .header("Range", "bytes=100-").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(beyond.statusCode()).isEqualTo(416);
                assertThat(beyond.headers().firstValue("content-range")).hasValue("bytes */13");

                String etag = first.headers().firstValue("etag").orElseThrow();
                String lastModified = first.headers().firstValue("last-modified").orElseThrow();
                HttpResponse<String> same = http.send(HttpRequest.newBuilder(uri(address, "/big.bin"))
                        .header("If-None-Match", etag).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(same.statusCode()).isEqualTo(304);
                assertThat(same.body()).isEmpty();
                HttpResponse<String> sinceThen = http.send(HttpRequest.newBuilder(uri(address, "/big.bin"))
                        .header("If-Modified-Since", lastModified).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(sinceThen.statusCode()).isEqualTo(304);

                HttpResponse<byte[]> stale = http.send(HttpRequest.newBuilder(uri(address, "/big.bin"))
                        .header("Range", "bytes=0-9").header("If-Range", "\"another-version\"").build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                assertThat(stale.statusCode()).as("If-Range of another version: the whole file").isEqualTo(200);
                assertThat(stale.body()).isEqualTo(big);
            }
        });
    }

    /** A client that half-closes after its request (shutdown of its output) still gets the whole response. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_client_that_half_closes_after_its_request_gets_the_response(AioProvider adapter) throws Exception {
        withServer(adapter, address -> {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), address.getPort())) {
                socket.setSoTimeout(30_000);
                socket.getOutputStream().write("GET /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                socket.shutdownOutput();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                socket.getInputStream().transferTo(all);
                assertThat(all.toString(StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200 OK")
                        .endsWith("hello, world\n");
            }
        });
    }

    /** The JDK's client asks with Expect: 100-continue and sends its body only after the 100. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void expect_100_continue_is_answered_before_the_body(AioProvider adapter) throws Exception {
        withServer(adapter, address -> {
            try (HttpClient http = client()) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri(address, "/hello.txt"))
                        .expectContinue(true).method("GET", HttpRequest.BodyPublishers.ofString("a small body"))
                        .timeout(java.time.Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("hello, world\n");
            }
        });
    }

    /**
     * A client that goes on sending a body the server refused still reads the 413: the server sends a FIN and drains
     * the input before it closes, where an immediate close would answer the unread body with a reset that can
     * discard the response (curl lost it in up to half of its tries).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_refused_body_still_gets_its_413_through_a_lingering_close(AioProvider adapter) throws Exception {
        withServer(adapter, address -> {
            byte[] body = new byte[128 * 1024];
            for (int i = 0; i < 20; i++) {
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), address.getPort())) {
                    socket.setSoTimeout(30_000);
                    socket.getOutputStream().write(("POST /hello.txt HTTP/1.1\r\nHost: a\r\nContent-Length: "
                            + (1L << 40) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    socket.getOutputStream().write(body);
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    socket.getInputStream().transferTo(all);
                    assertThat(all.toString(StandardCharsets.ISO_8859_1)).as("try %d", i)
                            .startsWith("HTTP/1.1 413 ");
                }
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void answers_pipelined_requests_in_order_on_one_connection(AioProvider adapter) throws Exception {
        withServer(adapter, address -> {
            String answer = exchange(address, "GET /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "HEAD /index.html HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /nope HTTP/1.1\r\nHost: a\r\n\r\n"
                    + "GET /index.html HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

            List<String> statusLines = answer.lines().filter(l -> l.startsWith("HTTP/1.1 ")).toList();
            assertThat(statusLines).containsExactly("HTTP/1.1 200 OK", "HTTP/1.1 200 OK", "HTTP/1.1 404 Not Found",
                    "HTTP/1.1 200 OK");
            assertThat(answer.indexOf("hello, world")).isLessThan(answer.indexOf("404 Not Found"));
            assertThat(answer).endsWith("<h1>aioops</h1>").containsOnlyOnce("<h1>aioops</h1>");
        });
    }

    /** A GET of {@code target} that asks the server to close the connection after answering. */
    private static String getAndClose(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void refuses_traversal_and_malformed_requests_over_a_raw_socket(AioProvider adapter) throws Exception {
        withServer(adapter, address -> {
            assertThat(exchange(address, getAndClose("/../secret.txt")))
                    .startsWith("HTTP/1.1 400 ").doesNotContain("secret\n");
            assertThat(exchange(address, getAndClose("/%2e%2e/secret.txt"))).startsWith("HTTP/1.1 400 ");
            assertThat(exchange(address, getAndClose("/data%20dir/%2E%2E%2F%2E%2E%2Fsecret.txt")))
                    .startsWith("HTTP/1.1 400 ");
            assertThat(exchange(address, getAndClose(dir.resolve("secret.txt").toUri().toString())))
                    .startsWith("HTTP/1.1 400 ");
            assertThat(exchange(address, getAndClose("/escape.txt"))).startsWith("HTTP/1.1 404 ");
            assertThat(exchange(address, getAndClose("/" + "a".repeat(9000)))).startsWith("HTTP/1.1 414 ");
            // Refusals that close the connection by themselves:
            assertThat(exchange(address, "NONSENSE\r\n\r\n")).startsWith("HTTP/1.1 400 ");
            assertThat(exchange(address, "GET / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400 ").contains("Host");
            assertThat(exchange(address, "GET / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999\r\n\r\n"))
                    .startsWith("HTTP/1.1 413 ");
            assertThat(exchange(address, "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"))
                    .startsWith("HTTP/1.1 431 ");
            assertThat(exchange(address, "DELETE /hello.txt HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"))
                    .startsWith("HTTP/1.1 405 ").contains("Allow: GET, HEAD");
            assertThat(Files.readString(dir.resolve("secret.txt"))).isEqualTo("secret");
        });
    }
}
