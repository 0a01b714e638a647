package dev.aioops.tck;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Misuse throws at once (null, heap buffers, closed arenas, bad offsets, use after close); bad handles are
 * results ({@code -EBADF}); a throwing completion or task is reported and the loop carries on.
 */
public abstract class MisuseContract extends AioContract {

    private static final AioCompletion<Object> IGNORE = (r, a) -> { };

    /** What the configured error handler received. */
    private final LinkedBlockingQueue<Throwable> reported = new LinkedBlockingQueue<>();

    /** For subclasses. */
    protected MisuseContract() {
    }

    /**
     * The default test configuration with an error handler that records what it receives.
     *
     * @return the configuration
     */
    @Override
    protected AioConfig config() {
        return super.config().toBuilder().errorHandler(reported::add).build();
    }

    @Test
    @Timeout(60)
    void readsIntoReadOnlySegmentsAreRejectedAndLeaveThemUnchanged() throws IOException {
        Path file = tempDir.resolve("readonly.bin");
        Files.write(file, new byte[]{1, 2, 3, 4});
        int h = open(file, AioOpenOption.READ, AioOpenOption.WRITE);
        MemorySegment target = arena.allocate(4);
        MemorySegment view = target.asReadOnly();
        assertThatThrownBy(() -> ops.read(h, view, 0, null, IGNORE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("read-only");
        int eventfd = eventfd(7);
        MemorySegment eightReadOnly = arena.allocate(8).asReadOnly();
        assertThatThrownBy(() -> ops.read(eventfd, eightReadOnly, AioOperations.STREAM, null, IGNORE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(target.toArray(ValueLayout.JAVA_BYTE)).containsOnly(0);
        // A read-only view is a fine source: a write only reads it.
        MemorySegment source = bytes("abcd").asReadOnly();
        assertThat(call(c -> ops.write(h, source, 0, null, c))).isEqualTo(4);
        assertThat(Files.readAllBytes(file)).containsExactly("abcd".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    @Timeout(60)
    void heapSegmentsAreRejected() {
        MemorySegment heap = MemorySegment.ofArray(new byte[16]);
        int h = eventfd(0);
        assertThatThrownBy(() -> ops.read(h, heap, AioOperations.STREAM, null, IGNORE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.write(h, heap, AioOperations.STREAM, null, IGNORE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(60)
    void segmentsOfAClosedArenaAreRejected() {
        MemorySegment dead;
        try (Arena temporary = Arena.ofConfined()) {
            dead = temporary.allocate(16);
        }
        int h = eventfd(0);
        assertThatThrownBy(() -> ops.read(h, dead, AioOperations.STREAM, null, IGNORE))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.write(h, dead, AioOperations.STREAM, null, IGNORE))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Timeout(60)
    void nullArgumentsAreRejected() {
        MemorySegment buf = arena.allocate(8);
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, 1);
        assertThatThrownBy(() -> ops.read(0, null, 0, null, IGNORE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.read(0, buf, 0, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.write(0, null, 0, null, IGNORE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.write(0, buf, 0, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.fsync(0, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.open(null, Set.of(), null, IGNORE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.open(tempDir, null, null, IGNORE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.open(tempDir, Set.of(), null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.listen(null, 1, null, IGNORE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.listen(address, 1, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.accept(0, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.connect(null, null, IGNORE)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.connect(address, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.close(0, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.eventfd(0, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.timeout(0, null, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.execute(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @Timeout(60)
    void outOfRangeArgumentsAreRejected() {
        MemorySegment buf = arena.allocate(8);
        assertThatThrownBy(() -> ops.read(0, buf, -2, null, IGNORE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.write(0, buf, Long.MIN_VALUE, null, IGNORE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.listen(new InetSocketAddress(LOOPBACK, 0), 0, null, IGNORE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.connect(InetSocketAddress.createUnresolved("example.invalid", 80), null, IGNORE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.eventfd(-1, null, IGNORE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.eventfd(0x1_0000_0000L, null, IGNORE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(60)
    void unknownHandlesCompleteWithEbadf() {
        int unknown = 1_234_567;
        MemorySegment buf = arena.allocate(8);
        assertThat(call(c -> ops.read(unknown, buf, 0, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.write(unknown, buf, AioOperations.STREAM, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.fsync(unknown, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.accept(unknown, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.close(unknown, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.read(-5, buf, 0, null, c))).isEqualTo(-AioErrno.EBADF);
    }

    @Test
    @Timeout(60)
    void closedHandlesCompleteWithEbadf() throws IOException {
        Path file = tempDir.resolve("closed");
        Files.writeString(file, "closed");
        int h = open(file, AioOpenOption.READ, AioOpenOption.WRITE);
        assertThat(call(c -> ops.close(h, null, c))).isZero();
        assertThat(call(c -> ops.read(h, arena.allocate(4), 0, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.write(h, bytes("x"), 0, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.fsync(h, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.close(h, null, c))).isEqualTo(-AioErrno.EBADF);
    }

    @Test
    @Timeout(60)
    void aHandleNumberIsNotConfusedWithItsSuccessorAfterReuse() throws IOException {
        Path file = tempDir.resolve("reuse");
        Files.writeString(file, "reuse");
        int first = open(file);
        assertThat(call(c -> ops.close(first, null, c))).isZero();
        // A new handle may get the same number (as file descriptors do); it must then work as the new one.
        int second = eventfd(7);
        MemorySegment buf = arena.allocate(8);
        int result = call(c -> ops.read(second, buf, AioOperations.STREAM, null, c));
        assertThat(result).isEqualTo(8);
        if (second != first) {
            assertThat(call(c -> ops.read(first, buf, 0, null, c))).isEqualTo(-AioErrno.EBADF);
        }
    }

    @Test
    @Timeout(60)
    void localAddressOfANonSocketThrows() throws IOException {
        assertThatThrownBy(() -> ops.localAddress(1_234_567)).isInstanceOfSatisfying(AioException.class,
                e -> assertThat(e.errno()).isEqualTo(AioErrno.EBADF));
        int efd = eventfd(0);
        assertThatThrownBy(() -> ops.localAddress(efd)).isInstanceOfSatisfying(AioException.class,
                e -> assertThat(e.errno()).isIn(AioErrno.ENOTSOCK, AioErrno.EBADF));
    }

    @Test
    @Timeout(60)
    void everySubmissionAfterCloseThrowsIllegalState() {
        MemorySegment buf = arena.allocate(8);
        ops.close();
        assertThatThrownBy(() -> ops.read(0, buf, 0, null, IGNORE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.write(0, buf, 0, null, IGNORE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.fsync(0, null, IGNORE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.open(tempDir, Set.of(), null, IGNORE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.listen(new InetSocketAddress(LOOPBACK, 0), 1, null, IGNORE))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.accept(0, null, IGNORE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.connect(new InetSocketAddress(LOOPBACK, 1), null, IGNORE))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.close(0, null, IGNORE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.eventfd(0, null, IGNORE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.timeout(0, null, IGNORE)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.execute(() -> { })).isInstanceOf(IllegalStateException.class);
        ops.cancel(1);
        assertThat(ops.signal(0, 1)).isFalse();
    }

    @Test
    @Timeout(60)
    void aThrowingCompletionIsReportedAndTheLoopCarriesOn() throws InterruptedException {
        IllegalStateException boom = new IllegalStateException("boom from a completion");
        ops.timeout(0, null, (r, a) -> {
            throw boom;
        });
        assertThat(reported.poll(30, TimeUnit.SECONDS)).isSameAs(boom);
        assertThat(call(c -> ops.timeout(0, null, c))).isZero();
    }

    @Test
    @Timeout(60)
    void aThrowingTaskIsReportedAndTheLoopCarriesOn() throws InterruptedException {
        AssertionError boom = new AssertionError("boom from a task");
        ops.execute(() -> {
            throw boom;
        });
        CountDownLatch next = new CountDownLatch(1);
        ops.execute(next::countDown);
        assertThat(next.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(reported.poll(30, TimeUnit.SECONDS)).isSameAs(boom);
    }

    @Test
    @Timeout(60)
    void operationsOnTheWrongKindOfHandleGiveTheLinuxErrors() throws IOException {
        Path file = tempDir.resolve("plain");
        Files.writeString(file, "plain");
        int fileHandle = open(file);
        int listener = listen();
        int[] pair = connectedPair();
        assertThat(call(c -> ops.accept(fileHandle, null, c))).isEqualTo(-AioErrno.ENOTSOCK);
        assertThat(call(c -> ops.accept(pair[0], null, c))).isEqualTo(-AioErrno.EINVAL);
        assertThat(call(c -> ops.read(listener, arena.allocate(8), AioOperations.STREAM, null, c)))
                .isEqualTo(-AioErrno.ENOTCONN);
        assertThat(call(c -> ops.write(listener, bytes("x"), AioOperations.STREAM, null, c)))
                .isIn(-AioErrno.EPIPE, -AioErrno.ENOTCONN);
        assertThat(call(c -> ops.fsync(pair[0], null, c))).isEqualTo(-AioErrno.EINVAL);
    }

    @Test
    @Timeout(60)
    void fsyncOfAnEventfdIsRefusedWithEinval() {
        int efd = eventfd(0);
        assertThat(call(c -> ops.fsync(efd, null, c))).isEqualTo(-AioErrno.EINVAL);
    }
}
