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
 * {@link StaticFileServer} serving files against a mocked {@link AioOperations} ({@link MockedHttpServer}): keep-alive,
 * pipelining, short reads and writes, methods, bad requests, errors of files and sockets, accept failures, close.
 */
class StaticFileServerTest extends MockedHttpServer {

    @Test
    void serves_a_file_and_keeps_the_connection_open() {
        start();
        clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");

        Response response = responses().getFirst();
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("content-type", "text/plain; charset=utf-8")
                .containsEntry("content-length", "5").containsKey("date").doesNotContainKey("connection");
        assertThat(response.text()).isEqualTo("hello");
        assertThat(closed).containsExactly(9);
        assertThat(pendingRead).as("waiting for the next request").isNotNull();
        assertThat(server.address()).isEqualTo(BOUND);
    }

    @Test
    void answers_pipelined_requests_in_order() {
        start();
        clientSends("GET / HTTP/1.1\r\nHost: x\r\n\r\nHEAD /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");

        List<Response> responses = responses(false, true, false, false);
        assertThat(responses).extracting(Response::status).containsExactly(200, 200, 404, 200);
        assertThat(responses.get(0).text()).isEqualTo("<h1>home</h1>");
        assertThat(responses.get(0).headers()).containsEntry("content-type", "text/html; charset=utf-8");
        assertThat(responses.get(1).headers()).containsEntry("content-length", "5");
        assertThat(responses.get(1).body()).isEmpty();
        assertThat(responses.get(2).text()).startsWith("404 Not Found");
        assertThat(responses.get(3).text()).isEqualTo("hello");
    }

    @Test
    void streams_a_large_file_through_short_reads_and_short_writes() throws Exception {
        byte[] big = new byte[300_000];
        new Random(1).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        shortRead = 10_000;
        shortWrite = 7_777;
        start();
        clientSends("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");

        Response response = responses().getFirst();
        assertThat(response.headers()).containsEntry("content-type", "application/octet-stream")
                .containsEntry("content-length", "300000");
        assertThat(response.body()).isEqualTo(big);
    }

    @Test
    void a_request_arriving_one_byte_at_a_time_is_served() {
        start();
        for (byte b : "GET /hello.txt HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)) {
            clientSends.add(new byte[] {b});
        }
        deliverClientBytes();

        assertThat(responses().getFirst().text()).isEqualTo("hello");
        assertThat(responses().getFirst().headers()).containsEntry("connection", "close");
        assertThat(shutdowns).as("HTTP/1.0 without keep-alive half-closes").containsExactly(AioShutdown.WRITE);
        hangUp();
        assertThat(closed).as("and closes once the client has").contains(SOCKET);
    }

    @Test
    void connection_close_closes_after_the_response() {
        start();
        clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(responses()).hasSize(1);
        hangUp();
        assertThat(closed).containsExactly(9, SOCKET);
    }

    @Test
    void a_client_that_hangs_up_is_closed_without_an_answer() {
        start();
        clientClosed = true;
        clientSends("GET /hel");

        assertThat(received.size()).isZero();
        assertThat(closed).containsExactly(SOCKET);
    }

    @Test
    void other_methods_get_405_with_allow_and_their_body_is_skipped() {
        start();
        clientSends("POST /hello.txt HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nab");
        clientSends("cGET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");

        List<Response> responses = responses();
        assertThat(responses).extracting(Response::status).containsExactly(405, 200);
        assertThat(responses.getFirst().headers()).containsEntry("allow", "GET, HEAD");
        assertThat(responses.getFirst().text()).contains("POST is not allowed");
        assertThat(closed).doesNotContain(SOCKET);
    }


    @Test
    void garbage_gets_400() {
        assertRefusedAndClosed("HELLO\r\n\r\n", 400, "malformed request line");
    }

    @Test
    void traversal_gets_400_and_the_file_is_never_opened() {
        start();
        clientSends("GET /%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(responses().getFirst().status()).isEqualTo(400);
        assertThat(openFiles).isEmpty();
    }

    @Test
    void open_errors_become_403_404_or_500() {
        start();
        openResult = -AioErrno.EACCES;
        clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
        openResult = -AioErrno.ENOENT;
        clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");
        openResult = -AioErrno.EMFILE;
        clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");

        List<Response> responses = responses();
        assertThat(responses).extracting(Response::status).containsExactly(403, 404, 500);
        assertThat(responses.get(2).text()).contains("EMFILE");
        assertThat(closed).as("the connection survives").doesNotContain(SOCKET);
    }

    @Test
    void a_failing_file_read_drops_the_connection_since_a_length_was_promised() {
        fileReadResult = -AioErrno.EIO;
        start();
        clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(received.size()).isZero();
        assertThat(closed).containsExactlyInAnyOrder(9, SOCKET);
    }

    @Test
    void a_file_that_shrank_drops_the_connection() {
        start();
        doAnswer(call -> {
            complete(call, 4, 0);
            return 8L;
        }).when(ops).read(eq(9), any(), anyLong(), any(), any());
        clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(closed).containsExactlyInAnyOrder(9, SOCKET);
    }

    @Test
    void a_failing_write_closes_the_file_and_the_connection() {
        writeResult = -AioErrno.EPIPE;
        start();
        clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(closed).containsExactlyInAnyOrder(9, SOCKET);
    }

    @Test
    void accept_failures_back_off_and_accept_again() {
        acceptResults.clear();
        acceptResults.add(-AioErrno.EMFILE);
        acceptResults.add(SOCKET);
        start();
        clientSends("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n");

        assertThat(timeouts).hasSize(1);
        assertThat(responses().getFirst().status()).isEqualTo(200);
    }

    @Test
    void close_closes_the_listener_and_every_connection() {
        start();
        server.close();
        server.close();

        assertThat(closed).containsExactlyInAnyOrder(SOCKET, LISTENER, ROOT);
        assertThat(server.closed()).isCompleted();
    }

    @Test
    void a_listen_failure_fails_start_and_so_does_a_root_that_is_no_directory() throws Exception {
        doAnswer(call -> {
            complete(call, 3, -AioErrno.EADDRINUSE);
            return 1L;
        }).when(ops).listen(any(), anyInt(), any(), any());
        assertThatThrownBy(StaticFileServer.start(ops, BOUND, root)::join).cause()
                .isInstanceOf(AioException.class).hasMessageContaining("EADDRINUSE");
        assertThat(closed).as("the root handle is closed again").contains(ROOT);
        assertThatThrownBy(StaticFileServer.start(ops, BOUND, root.resolve("missing"))::join).cause()
                .isInstanceOf(AioException.class).hasMessageContaining("ENOENT");
        assertThatThrownBy(StaticFileServer.start(ops, BOUND, root.resolve("hello.txt"))::join).cause()
                .isInstanceOf(AioException.class).hasMessageContaining("ENOTDIR");
    }
}
