package dev.aioops.crossadapter;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.spi.AioStat;
import dev.aioops.vthreads.AioBlocking;
import dev.aioops.vthreads.AioIoExceptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.InterruptedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import static dev.aioops.crossadapter.VirtualThreadCalls.closeOnVirtualThread;
import static dev.aioops.crossadapter.VirtualThreadCalls.onVirtualThread;
import static dev.aioops.spi.AioOperations.STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The virtual-thread facade's behaviour on every adapter: deadlines, interrupts, errors as the JDK's exceptions,
 * and misuse (a call on the loop throws; a platform thread may call and blocks).
 */
@Timeout(60)
class VirtualThreadsAcrossAdaptersTest {

    private static final Duration SHORT = Duration.ofMillis(200);

    @TempDir
    Path dir;


    /** A connected pair {client, server}, made with the facade: accept on a virtual thread, connect here. */
    private static int[] pair(AioBlocking io) throws Exception {
        int listener = io.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        InetSocketAddress address = (InetSocketAddress) io.operations().localAddress(listener);
        FutureTask<Integer> accept = new FutureTask<>(() -> io.accept(listener));
        Thread.ofVirtual().start(accept);
        int client = io.connect(address);
        int server = accept.get(30, TimeUnit.SECONDS);
        io.close(listener);
        return new int[] {client, server};
    }

    private static MemorySegment text(Arena arena, String s) {
        return arena.allocateFrom(s, StandardCharsets.US_ASCII).asSlice(0, s.length());
    }

    private static String text(MemorySegment segment, int length) {
        return new String(segment.asSlice(0, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE),
                StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void files_round_trip_and_a_platform_thread_may_call_too(AioProvider adapter) throws Exception {
        Path file = dir.resolve("f");
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            AioBlocking io = new AioBlocking(ops);
            int written = onVirtualThread(() -> {
                int h = io.open(file, AioOpenOption.WRITE, AioOpenOption.CREATE);
                io.writeFully(h, text(arena, "hello, virtual threads"), 0);
                io.fsync(h);
                io.close(h);
                return h;
            });
            assertThat(written).isNotNegative();
            // This test's own thread is a platform thread: it blocks, and it works.
            assertThat(Thread.currentThread().isVirtual()).isFalse();
            assertThat(io.stat(file, AioStat.allocate(arena)).size()).isEqualTo(22);
            int h = io.open(file);
            MemorySegment into = arena.allocate(64);
            assertThat(io.readFully(h, into, 7)).as("stops at the end of the file").isEqualTo(15);
            assertThat(text(into, 15)).isEqualTo("virtual threads");
            assertThat(io.read(h, into, 22)).as("at the end").isZero();
            io.close(h);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void failures_are_the_exceptions_java_code_catches(AioProvider adapter) throws Exception {
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            AioBlocking io = new AioBlocking(ops);
            Path missing = dir.resolve("missing");
            assertThatThrownBy(() -> onVirtualThread(() -> io.open(missing)))
                    .isInstanceOf(NoSuchFileException.class).hasMessageContaining(missing.toString());

            int port;
            try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = closed.getLocalPort();
            }
            assertThatThrownBy(() -> onVirtualThread(() -> io.connect(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), port))))
                    .isInstanceOf(ConnectException.class)
                    .satisfies(e -> assertThat(AioIoExceptions.errno(e)).isEqualTo(AioErrno.ECONNREFUSED));

            int h = io.open(Files.writeString(dir.resolve("f"), "x"));
            io.close(h);
            assertThatThrownBy(() -> onVirtualThread(() -> io.read(h, arena.allocate(8), 0)))
                    .isInstanceOf(AioException.class)
                    .satisfies(e -> assertThat(AioIoExceptions.errno(e)).isEqualTo(AioErrno.EBADF));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void closing_the_handle_under_a_parked_reader_is_an_asynchronous_close(AioProvider adapter) throws Exception {
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            AioBlocking io = new AioBlocking(ops);
            int[] pair = pair(io);
            FutureTask<Integer> read = new FutureTask<>(() -> io.read(pair[1], arena.allocate(8), STREAM));
            Thread reader = Thread.ofVirtual().start(read);
            awaitParked(reader);
            io.close(pair[1]);
            assertThatThrownBy(() -> read.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(AsynchronousCloseException.class);
            io.close(pair[0]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void a_deadline_throws_SocketTimeoutException_and_leaves_the_socket_usable(AioProvider adapter)
            throws Exception {
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            AioBlocking io = new AioBlocking(ops);
            int[] pair = pair(io);
            MemorySegment into = arena.allocate(16);
            long start = System.nanoTime();
            assertThatThrownBy(() -> onVirtualThread(() -> io.read(pair[1], into, STREAM, SHORT)))
                    .isInstanceOf(SocketTimeoutException.class)
                    .satisfies(e -> assertThat(AioIoExceptions.errno(e)).isEqualTo(AioErrno.ETIMEDOUT));
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(SHORT.toNanos());

            io.writeFully(pair[0], text(arena, "abc"), STREAM);
            SocketTimeoutException partial = (SocketTimeoutException) org.assertj.core.api.Assertions.catchThrowable(
                    () -> onVirtualThread(() -> io.readFully(pair[1], into, STREAM, SHORT)));
            assertThat(partial).as("a transfer that got part of its bytes").isNotNull();
            assertThat(partial.bytesTransferred).isEqualTo(3);
            assertThat(text(into, 3)).isEqualTo("abc");

            io.writeFully(pair[0], text(arena, "after"), STREAM);
            assertThat(onVirtualThread(() -> io.readFully(pair[1], into.asSlice(0, 5), STREAM, Duration.ofSeconds(30))))
                    .isEqualTo(5);
            assertThat(text(into, 5)).isEqualTo("after");

            int listener = io.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            assertThatThrownBy(() -> onVirtualThread(() -> io.accept(listener, SHORT)))
                    .isInstanceOf(SocketTimeoutException.class);
            assertThatThrownBy(() -> io.read(pair[1], into, STREAM, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void an_interrupt_cancels_the_operation_and_throws_InterruptedIOException(AioProvider adapter)
            throws Exception {
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            AioBlocking io = new AioBlocking(ops);
            int[] pair = pair(io);
            MemorySegment into = arena.allocate(16);
            CompletableFuture<Boolean> stillInterrupted = new CompletableFuture<>();
            FutureTask<Integer> read = new FutureTask<>(() -> {
                try {
                    return io.read(pair[1], into, STREAM);
                } finally {
                    stillInterrupted.complete(Thread.currentThread().isInterrupted());
                }
            });
            Thread reader = Thread.ofVirtual().start(read);
            awaitParked(reader);
            reader.interrupt();
            assertThatThrownBy(() -> read.get(30, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(InterruptedIOException.class).hasMessageContaining("interrupted");
            assertThat(stillInterrupted.get(30, TimeUnit.SECONDS)).as("interrupt status kept").isTrue();

            // With the status set, a call throws at once and submits nothing: the bytes stay for the next read.
            io.writeFully(pair[0], text(arena, "kept"), STREAM);
            assertThatThrownBy(() -> onVirtualThread(() -> {
                Thread.currentThread().interrupt();
                return io.read(pair[1], into, STREAM);
            })).isInstanceOf(InterruptedIOException.class);
            assertThat(onVirtualThread(() -> io.readFully(pair[1], into.asSlice(0, 4), STREAM))).isEqualTo(4);
            assertThat(text(into, 4)).as("the cancelled read consumed nothing").isEqualTo("kept");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void a_call_on_the_loop_thread_throws_at_once(AioProvider adapter) throws Exception {
        try (AioOperations ops = adapter.open(Adapters.config())) {
            AioBlocking io = new AioBlocking(ops);
            Path file = Files.writeString(dir.resolve("f"), "x");
            CompletableFuture<Object> onLoop = new CompletableFuture<>();
            ops.execute(() -> {
                try {
                    onLoop.complete(io.open(file));
                } catch (Throwable e) {
                    onLoop.complete(e);
                }
            });
            assertThat(onLoop.get(30, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .asString().contains("loop thread", "virtual thread");
        }
    }

    /** Waits until a virtual thread is parked (in its blocking call: it parks only after submitting). */
    private static void awaitParked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (thread.getState() != Thread.State.WAITING) {
            assertThat(System.nanoTime()).as("%s never parked", thread).isLessThan(deadline);
            Thread.sleep(1);
        }
    }
}
