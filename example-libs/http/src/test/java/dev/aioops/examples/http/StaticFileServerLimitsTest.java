package dev.aioops.examples.http;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioStat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mockito.invocation.InvocationOnMock;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.intThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * {@link StaticFileServer}'s timeouts, limits and the paths beyond plain serving, against a mocked
 * {@link AioOperations} ({@link MockedHttpServer}): head, body, keep-alive and write timeouts, the connection limit,
 * zero-copy bodies, dotfiles, lingering close, redirects, the access log, {@code Expect} and the size limits.
 */
class StaticFileServerLimitsTest extends MockedHttpServer {

    @Test
    void the_first_request_must_arrive_within_the_head_timeout_and_silence_is_closed_without_an_answer() {
        start(HttpServerConfig.DEFAULTS.withTimeouts(SHORT));
        assertThat(readDeadlines.getFirst()).isBetween(1L, SHORT.requestHead().toNanos());
        expireRead();
        assertThat(received.size()).as("nothing was asked, nothing is answered").isZero();
        assertThat(closed).containsExactly(SOCKET);
    }

    @Test
    void an_idle_keep_alive_connection_is_closed_at_its_timeout() {
        start(HttpServerConfig.DEFAULTS.withTimeouts(SHORT));
        clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(responses().getFirst().status()).isEqualTo(200);
        assertThat(readDeadlines.getLast()).isBetween(SHORT.requestHead().toNanos(), SHORT.keepAlive().toNanos());
        int before = received.size();
        expireRead();
        assertThat(received.size()).isEqualTo(before);
        assertThat(closed).containsExactly(9, SOCKET);
    }

    @Test
    void a_head_that_trickles_past_its_timeout_gets_408_and_the_connection_closes() {
        start(HttpServerConfig.DEFAULTS.withTimeouts(SHORT));
        clientSends("GET /hello.txt HTTP/1.1\r\n");
        assertThat(readDeadlines.getLast()).isBetween(1L, SHORT.requestHead().toNanos());
        expireRead();
        Response response = responses().getFirst();
        assertThat(response.status()).isEqualTo(408);
        assertThat(response.headers()).containsEntry("connection", "close");
        assertThat(shutdowns).containsExactly(AioShutdown.WRITE);
    }

    @Test
    void a_body_that_stalls_past_its_timeout_gets_408() {
        start(HttpServerConfig.DEFAULTS.withTimeouts(SHORT));
        clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nonly some");
        assertThat(readDeadlines.getLast()).isBetween(SHORT.requestHead().toNanos(), SHORT.body().toNanos());
        expireRead();
        assertThat(responses().getFirst().status()).isEqualTo(408);
        assertThat(responses().getFirst().text()).contains("body");
    }

    @Test
    void a_client_that_stops_reading_is_dropped_when_the_write_stalls() {
        start(HttpServerConfig.DEFAULTS.withTimeouts(SHORT));
        writeResult = -AioErrno.ETIMEDOUT;
        clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(closed).contains(SOCKET);
    }

    @Test
    void a_connection_beyond_the_limit_gets_503_and_is_closed_at_once() {
        acceptResults.add(SOCKET + 1);
        when(ops.write(eq(SOCKET + 1), any(), eq(AioOperations.STREAM), anyLong(), any(), any()))
                .thenAnswer(call -> {
                    MemorySegment buffer = call.getArgument(1);
                    received.writeBytes(buffer.toArray(ValueLayout.JAVA_BYTE));
                    complete(call, 5, (int) buffer.byteSize());
                    return 11L;
                });
        start(HttpServerConfig.DEFAULTS.withMaxConnections(1));
        Response response = responses().getFirst();
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.headers()).containsEntry("retry-after", "1").containsEntry("connection", "close");
        assertThat(closed).containsExactly(SOCKET + 1);
        assertThat(server.openConnections()).isEqualTo(1);
    }

    @Test
    void a_body_at_the_threshold_goes_by_sendfile_after_its_head_and_a_smaller_one_is_buffered() throws Exception {
        byte[] big = new byte[300_000];
        new Random(2).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        List<long[]> sends = new ArrayList<>();
        when(ops.sendFile(eq(SOCKET), anyInt(), anyLong(), anyLong(), any(), any())).thenAnswer(call -> {
            long offset = call.getArgument(2);
            long length = Math.min(call.<Long>getArgument(3), 100_000); // short sends, as a full socket gives
            sends.add(new long[] {offset, length});
            byte[] content = Files.readAllBytes(openFiles.get((Integer) call.getArgument(1)));
            received.write(content, (int) offset, (int) length);
            complete(call, 5, (int) length);
            return 12L;
        });
        start(HttpServerConfig.DEFAULTS.withZeroCopyThreshold(1000));
        clientSends("GET /big.bin HTTP/1.1\r\nHost: x\r\nRange: bytes=10-\r\n\r\n"
                + "GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");

        List<Response> responses = responses();
        assertThat(responses.get(0).status()).isEqualTo(206);
        assertThat(responses.get(0).body()).isEqualTo(Arrays.copyOfRange(big, 10, big.length));
        assertThat(sends).extracting(s -> s[0]).containsExactly(10L, 100_010L, 200_010L);
        assertThat(responses.get(1).text()).as("below the threshold: read and written").isEqualTo("hello");
        assertThat(closed).as("the file is closed after its body, the connection kept").containsExactly(9, 10);
    }

    @Test
    void a_sendfile_that_fails_drops_the_connection() throws Exception {
        Files.write(root.resolve("big.bin"), new byte[5000]);
        when(ops.sendFile(eq(SOCKET), anyInt(), anyLong(), anyLong(), any(), any())).thenAnswer(call -> {
            complete(call, 5, -AioErrno.EPIPE);
            return 12L;
        });
        start(HttpServerConfig.DEFAULTS.withZeroCopyThreshold(1000));
        clientSends("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(closed).contains(SOCKET);
    }

    @Test
    void dotfiles_are_hidden_unless_configured() throws Exception {
        Files.writeString(root.resolve(".env"), "secret");
        start();
        clientSends("GET /.env HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(responses().getFirst().status()).isEqualTo(404);

        received.reset();
        server.close();
        closed.clear();
        acceptResults.add(SOCKET);
        start(HttpServerConfig.DEFAULTS.withServeDotfiles(true));
        clientSends("GET /.env HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(responses().getFirst().text()).isEqualTo("secret");
    }

    @Test
    void a_lingering_close_drains_what_the_client_still_sends_and_closes_at_its_end() {
        start();
        clientSends("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n");
        assertThat(responses().getFirst().status()).isEqualTo(413);
        assertThat(closed).as("still draining").doesNotContain(SOCKET);
        clientSends("x".repeat(5000));
        assertThat(closed).as("still draining").doesNotContain(SOCKET);
        clientClosed = true;
        deliverClientBytes();
        assertThat(closed).as("closed once the client's input ended").containsExactly(SOCKET);
    }

    @Test
    void a_directory_without_its_slash_is_redirected_and_a_file_with_one_is_404() throws Exception {
        Files.createDirectory(root.resolve("docs"));
        Files.writeString(root.resolve("docs/index.html"), "docs");
        start();
        clientSends("GET /docs?x=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /docs/ HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /hello.txt/ HTTP/1.1\r\nHost: x\r\n\r\n");
        List<Response> responses = responses();
        assertThat(responses).extracting(Response::status).containsExactly(301, 200, 404);
        assertThat(responses.get(0).headers()).containsEntry("location", "/docs/");
        assertThat(responses.get(1).text()).isEqualTo("docs");
    }

    @Test
    void the_access_log_writes_a_line_per_response_when_its_logger_is_on() throws Exception {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        AccessLog.useLogger(new System.Logger() {
            @Override
            public String getName() {
                return AccessLog.NAME;
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String message, Throwable thrown) {
                lines.add(message);
            }

            @Override
            public void log(Level level, java.util.ResourceBundle bundle, String format, Object... params) {
                lines.add(format);
            }
        });
        try {
            when(ops.remoteAddress(SOCKET)).thenReturn(new InetSocketAddress("10.1.2.3", 5555));
            start();
            clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(lines).hasSize(2);
            assertThat(lines.get(0)).startsWith("10.1.2.3 - - [").endsWith("] \"GET /hello.txt HTTP/1.1\" 200 5");
            assertThat(lines.get(1)).contains("\"GET /nope HTTP/1.1\" 404 ");
        } finally {
            AccessLog.useLogger(null);
        }
    }

    @Test
    void expect_100_continue_gets_100_before_the_body_is_read_then_the_response() {
        start();
        clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
        assertThat(received.toString(StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        received.reset();
        clientSends("body");
        Response response = responses().getFirst();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("hello");
    }

    @Test
    void expect_100_continue_over_the_limit_gets_413_at_once_without_a_100() {
        assertRefusedAndClosed("GET / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n",
                413, "limited to 100");
        assertThat(received.toString(StandardCharsets.ISO_8859_1)).doesNotContain("100 Continue");
    }

    @Test
    void an_expectation_other_than_100_continue_gets_417() {
        assertRefusedAndClosed("GET / HTTP/1.1\r\nHost: x\r\nExpect: something\r\n\r\n", 417, "100-continue");
    }

    @Test
    void a_body_over_the_limit_gets_413_and_the_connection_closes() {
        assertRefusedAndClosed("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n", 413, "limited to 100");
    }

    @Test
    void a_long_request_line_gets_414() {
        assertRefusedAndClosed("GET /" + "a".repeat(300) + " HTTP/1.1\r\n", 414, "request line");
    }

    @Test
    void large_headers_get_431() {
        assertRefusedAndClosed("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(600) + "\r\n\r\n", 431,
                "header section");
    }
}
