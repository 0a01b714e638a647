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
 * {@link StaticFileServer} against a mocked {@link AioOperations}. Every operation completes before its
 * submitting call returns, as an adapter may do; the client's bytes are a script, files are real files read
 * with (optionally) short reads, writes are (optionally) short.
 */
class StaticFileServerTest {

    private static final int LISTENER = 1;
    /** The directory handle of the root. */
    private static final int ROOT = 3;
    private static final int SOCKET = 5;
    private static final InetSocketAddress BOUND = new InetSocketAddress("127.0.0.1", 8080);

    @TempDir
    Path root;
    private final AioOperations ops = mock(AioOperations.class);
    private final ArrayDeque<byte[]> clientSends = new ArrayDeque<>();
    private final ArrayDeque<Integer> acceptResults = new ArrayDeque<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Map<Integer, Path> openFiles = new HashMap<>();
    private final List<Integer> closed = new ArrayList<>();
    private final List<Long> timeouts = new ArrayList<>();
    private final List<AioShutdown> shutdowns = new ArrayList<>();
    private final List<Long> readDeadlines = new ArrayList<>();
    private boolean clientClosed;
    private InvocationOnMock pendingRead;
    private int nextFile = 9;
    private int shortRead = Integer.MAX_VALUE;
    private int shortWrite = Integer.MAX_VALUE;
    private int openResult;
    private int fileReadResult;
    private int writeResult;
    private StaticFileServer server;

    @SuppressWarnings("unchecked")
    private static void complete(InvocationOnMock call, int completionIndex, int result) {
        ((AioCompletion<Object>) call.getArgument(completionIndex))
                .completed(result, call.getArgument(completionIndex - 1));
    }

    @BeforeEach
    void mockOperations() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hello");
        Files.writeString(root.resolve("index.html"), "<h1>home</h1>");
        when(ops.inLoop()).thenReturn(true);
        when(ops.listen(any(), anyInt(), any(), any())).thenAnswer(call -> {
            complete(call, 3, LISTENER);
            return 1L;
        });
        when(ops.localAddress(LISTENER)).thenReturn(BOUND);
        acceptResults.add(SOCKET);
        when(ops.accept(eq(LISTENER), any(), any())).thenAnswer(call -> {
            Integer next = acceptResults.poll();
            if (next != null) {
                complete(call, 2, next);
            }
            return 2L;
        });
        when(ops.read(eq(SOCKET), any(), eq(AioOperations.STREAM), anyLong(), any(), any())).thenAnswer(call -> {
            readDeadlines.add(call.getArgument(3));
            pendingRead = call;
            deliverClientBytes();
            return 3L;
        });
        when(ops.write(eq(SOCKET), any(), eq(AioOperations.STREAM), anyLong(), any(), any())).thenAnswer(call -> {
            assertThat((long) call.getArgument(3)).as("every write carries the stall deadline").isPositive();
            if (writeResult != 0) {
                complete(call, 5, writeResult);
                return 4L;
            }
            MemorySegment buffer = call.getArgument(1);
            int n = (int) Math.min(buffer.byteSize(), shortWrite);
            received.writeBytes(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            complete(call, 5, n);
            return 4L;
        });
        when(ops.openAt(anyInt(), any(), any(), any(), any())).thenAnswer(call -> {
            Set<AioOpenOption> options = call.getArgument(2);
            if (options.contains(AioOpenOption.DIRECTORY)) {
                Path dir = call.getArgument(1);
                complete(call, 4, Files.isDirectory(dir) ? ROOT : Files.exists(dir) ? -AioErrno.ENOTDIR
                        : -AioErrno.ENOENT);
                return 5L;
            }
            assertThat((int) call.getArgument(0)).as("opened beneath the root handle").isEqualTo(ROOT);
            assertThat(options).as("confined by the kernel").contains(AioOpenOption.BENEATH);
            Path file = root.resolve((Path) call.getArgument(1));
            if (openResult != 0 || !Files.exists(file)) {
                complete(call, 4, openResult != 0 ? openResult : -AioErrno.ENOENT);
                return 5L;
            }
            int handle = nextFile++;
            openFiles.put(handle, file);
            complete(call, 4, handle);
            return 5L;
        });
        when(ops.fstat(anyInt(), any(), any(), any())).thenAnswer(call -> {
            Path file = openFiles.get((Integer) call.getArgument(0));
            AioStat stat = call.getArgument(1);
            // What statx(2) would write: stx_mode at 28, stx_size at 40 (struct statx).
            stat.struct().set(ValueLayout.JAVA_SHORT, 28, (short) (Files.isDirectory(file) ? 040755 : 0100644));
            stat.struct().set(ValueLayout.JAVA_LONG, 40, Files.size(file));
            complete(call, 3, 0);
            return 9L;
        });
        when(ops.read(intThat(handle -> handle >= 9), any(), anyLong(), any(), any()))
                .thenAnswer(this::readFile);
        when(ops.close(anyInt(), any(), any())).thenAnswer(call -> {
            int handle = call.getArgument(0);
            closed.add(handle);
            if (handle == SOCKET && pendingRead != null) {
                InvocationOnMock read = pendingRead;
                pendingRead = null;
                complete(read, 5, -AioErrno.ECANCELED);
            }
            complete(call, 2, 0);
            return 6L;
        });
        when(ops.shutdown(anyInt(), any(), any(), any())).thenAnswer(call -> {
            shutdowns.add(call.getArgument(1));
            complete(call, 3, 0);
            return 10L;
        });
        when(ops.timeout(anyLong(), any(), any())).thenAnswer(call -> {
            timeouts.add(call.getArgument(0));
            complete(call, 2, 0);
            return 7L;
        });
    }

    private Object readFile(InvocationOnMock call) throws Exception {
        if (fileReadResult != 0) {
            complete(call, 4, fileReadResult);
            return 8L;
        }
        byte[] content = Files.readAllBytes(openFiles.get((Integer) call.getArgument(0)));
        MemorySegment buffer = call.getArgument(1);
        long offset = call.getArgument(2);
        int n = (int) Math.max(0, Math.min(Math.min(buffer.byteSize(), shortRead), content.length - offset));
        MemorySegment.copy(content, (int) offset, buffer, ValueLayout.JAVA_BYTE, 0, n);
        complete(call, 4, n);
        return 8L;
    }

    private void deliverClientBytes() {
        InvocationOnMock read = pendingRead;
        if (read == null) {
            return;
        }
        byte[] chunk = clientSends.poll();
        if (chunk == null && !clientClosed) {
            return;
        }
        pendingRead = null;
        if (chunk == null) {
            complete(read, 5, 0);
            return;
        }
        MemorySegment buffer = read.getArgument(1);
        int n = (int) Math.min(chunk.length, buffer.byteSize());
        if (n < chunk.length) {
            clientSends.addFirst(Arrays.copyOfRange(chunk, n, chunk.length));
        }
        MemorySegment.copy(chunk, 0, buffer, ValueLayout.JAVA_BYTE, 0, n);
        complete(read, 5, n);
    }

    /** Buffered bodies only: the tests of reads and writes; {@link #start(HttpServerConfig)} for zero copy. */
    private void start() {
        start(HttpServerConfig.DEFAULTS.withZeroCopyThreshold(Long.MAX_VALUE));
    }

    private void clientSends(String text) {
        clientSends.add(text.getBytes(StandardCharsets.ISO_8859_1));
        deliverClientBytes();
    }

    /** A response as the client sees it. */
    private record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Splits what the server sent into responses; {@code heads} says which answered HEAD requests. */
    private List<Response> responses(boolean... heads) {
        byte[] all = received.toByteArray();
        List<Response> responses = new ArrayList<>();
        int at = 0;
        int index = 0;
        while (at < all.length) {
            int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), at);
            assertThat(end).as("a complete head").isGreaterThanOrEqualTo(0);
            String[] lines = new String(all, at, end - at, StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).strip());
            }
            int length = Integer.parseInt(headers.get("content-length"));
            boolean head = index < heads.length && heads[index];
            int bodyLength = head ? 0 : length;
            responses.add(new Response(Integer.parseInt(lines[0].split(" ")[1]), headers,
                    Arrays.copyOfRange(all, end + 4, end + 4 + bodyLength)));
            at = end + 4 + bodyLength;
            index++;
        }
        return responses;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

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

    private void assertRefusedAndClosed(String request, int status, String bodyText) {
        start();
        clientSends(request);
        Response response = responses().getFirst();
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.text()).contains(bodyText);
        assertThat(response.headers()).containsEntry("connection", "close");
        assertThat(shutdowns).as("a FIN before the close").containsExactly(AioShutdown.WRITE);
        assertThat(closed).as("still draining").doesNotContain(SOCKET);
        assertThat(readDeadlines.getLast()).as("the drain is bounded in time")
                .isBetween(1L, HttpConnection.LINGER_NANOS);
        expireRead();
        assertThat(closed).containsExactly(SOCKET);
    }

    /** The client closes its side. */
    private void hangUp() {
        clientClosed = true;
        deliverClientBytes();
    }

    /** The pending socket read's deadline passes. */
    private void expireRead() {
        InvocationOnMock read = pendingRead;
        assertThat(read).as("a read is waiting").isNotNull();
        pendingRead = null;
        complete(read, 5, -AioErrno.ETIMEDOUT);
    }

    private static final HttpTimeouts SHORT = new HttpTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(3), Duration.ofSeconds(4));

    private void start(HttpServerConfig config) {
        server = StaticFileServer.start(ops, new InetSocketAddress("127.0.0.1", 0), root,
                config.withLimits(new HttpLimits(256, 512, 10, 100))).join();
    }

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
