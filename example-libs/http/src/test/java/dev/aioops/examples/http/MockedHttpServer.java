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
 * The fixture of the {@link StaticFileServer} tests against a mocked {@link AioOperations}: every operation completes
 * before its submitting call returns, as an adapter may do; the client's bytes are a script, files are real files
 * read with (optionally) short reads, writes are (optionally) short. Subclasses hold the tests.
 */
abstract class MockedHttpServer {

    static final int LISTENER = 1;
    /** The directory handle of the root. */
    static final int ROOT = 3;
    static final int SOCKET = 5;
    static final InetSocketAddress BOUND = new InetSocketAddress("127.0.0.1", 8080);

    @TempDir
    Path root;
    final AioOperations ops = mock(AioOperations.class);
    final ArrayDeque<byte[]> clientSends = new ArrayDeque<>();
    final ArrayDeque<Integer> acceptResults = new ArrayDeque<>();
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    final Map<Integer, Path> openFiles = new HashMap<>();
    final List<Integer> closed = new ArrayList<>();
    final List<Long> timeouts = new ArrayList<>();
    final List<AioShutdown> shutdowns = new ArrayList<>();
    final List<Long> readDeadlines = new ArrayList<>();
    boolean clientClosed;
    InvocationOnMock pendingRead;
    int nextFile = 9;
    int shortRead = Integer.MAX_VALUE;
    int shortWrite = Integer.MAX_VALUE;
    int openResult;
    int fileReadResult;
    int writeResult;
    StaticFileServer server;

    @SuppressWarnings("unchecked")
    static void complete(InvocationOnMock call, int completionIndex, int result) {
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

    Object readFile(InvocationOnMock call) throws Exception {
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

    void deliverClientBytes() {
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
    void start() {
        start(HttpServerConfig.DEFAULTS.withZeroCopyThreshold(Long.MAX_VALUE));
    }

    void clientSends(String text) {
        clientSends.add(text.getBytes(StandardCharsets.ISO_8859_1));
        deliverClientBytes();
    }

    /** A response as the client sees it. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Splits what the server sent into responses; {@code heads} says which answered HEAD requests. */
    List<Response> responses(boolean... heads) {
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

    static int indexOf(byte[] haystack, byte[] needle, int from) {
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


    void assertRefusedAndClosed(String request, int status, String bodyText) {
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
    void hangUp() {
        clientClosed = true;
        deliverClientBytes();
    }

    /** The pending socket read's deadline passes. */
    void expireRead() {
        InvocationOnMock read = pendingRead;
        assertThat(read).as("a read is waiting").isNotNull();
        pendingRead = null;
        complete(read, 5, -AioErrno.ETIMEDOUT);
    }

    static final HttpTimeouts SHORT = new HttpTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(3), Duration.ofSeconds(4));

    void start(HttpServerConfig config) {
        server = StaticFileServer.start(ops, new InetSocketAddress("127.0.0.1", 0), root,
                config.withLimits(new HttpLimits(256, 512, 10, 100))).join();
    }
}
