package dev.aioops.tck;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.AioStat;
import dev.aioops.spi.AioTransfers;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.aioops.spi.AioOperations.STREAM;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Handles that cannot be confused: a handle kept after its close is unknown ({@code -EBADF}, {@code false}, or an
 * {@link AioException} with {@code EBADF}) also once the next file, socket or eventfd has taken its place (on
 * io_uring, its descriptor number), so a stale handle never reads, writes, stats or closes the new one; handles of
 * another instance are unknown too; handles stay non-negative over many reuses, across the wrap-around of their
 * generation; and {@link AioOperations#fileDescriptor} gives the descriptor exactly where
 * {@link AioCapability#RAW_FD} says so.
 */
public abstract class StaleHandleContract extends AioContract {

    /** Open/close cycles of the wrap-around test: far more than the reuses of one slot a generation survives. */
    private static final int CYCLES = 100_000;

    /** For subclasses. */
    protected StaleHandleContract() {
    }

    private Path fileWith(String name, String content) throws IOException {
        return Files.writeString(tempDir.resolve(name), content);
    }

    /** A handle of a file that was opened and closed, whose place the next open may take. */
    private int staleFileHandle() throws IOException {
        int stale = open(fileWith("old", "old!"));
        assertThat(call(c -> ops.close(stale, null, c))).isZero();
        return stale;
    }

    private static void assertErrno(ThrowingCallable call, int errno) {
        assertThatThrownBy(call).isInstanceOfSatisfying(AioException.class,
                e -> assertThat(e.errno()).as("%s", e.getMessage()).isEqualTo(errno));
    }

    @Test
    @Timeout(60)
    void aStaleFileHandleDoesNotReadTheFileOpenedAfterIt() throws IOException {
        int stale = staleFileHandle();
        int fresh = open(fileWith("new", "new!"));
        assertThat(fresh).isNotEqualTo(stale);
        MemorySegment buf = arena.allocate(4);
        assertThat(call(c -> ops.read(stale, buf, 0, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.read(stale, buf, STREAM, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.read(fresh, buf, 0, null, c))).isEqualTo(4);
        assertThat(text(buf, 4)).isEqualTo("new!");
    }

    @Test
    @Timeout(60)
    void aStaleFileHandleDoesNotWriteTheFileOpenedAfterIt() throws IOException {
        Path old = fileWith("old", "old!");
        int stale = open(old, AioOpenOption.READ, AioOpenOption.WRITE);
        assertThat(call(c -> ops.close(stale, null, c))).isZero();
        Path path = fileWith("new", "new!");
        int fresh = open(path, AioOpenOption.READ, AioOpenOption.WRITE);
        assertThat(call(c -> ops.write(stale, bytes("XXXX"), 0, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.write(stale, bytes("YY"), 2, 5_000_000_000L, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.fsync(fresh, null, c))).isZero();
        assertThat(Files.readString(path)).isEqualTo("new!");
        assertThat(Files.readString(old)).isEqualTo("old!");
    }

    @Test
    @Timeout(60)
    void aStaleFileHandleDoesNotStatSyncTruncateOrCloseTheFileOpenedAfterIt() throws IOException {
        int stale = staleFileHandle();
        Path path = fileWith("new", "new!");
        int fresh = open(path, AioOpenOption.READ, AioOpenOption.WRITE);
        AioStat stat = AioStat.allocate(arena);
        assertThat(call(c -> ops.fstat(stale, stat, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.fsync(stale, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.fdatasync(stale, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.ftruncate(stale, 0, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.close(stale, null, c))).isEqualTo(-AioErrno.EBADF);
        // The new file is still open and whole.
        assertThat(call(c -> ops.fstat(fresh, stat, null, c))).isZero();
        assertThat(stat.size()).isEqualTo(4);
        MemorySegment buf = arena.allocate(4);
        assertThat(call(c -> ops.read(fresh, buf, 0, null, c))).isEqualTo(4);
        assertThat(text(buf, 4)).isEqualTo("new!");
        assertThat(Files.readString(path)).isEqualTo("new!");
    }

    @Test
    @Timeout(60)
    void aStaleDirectoryHandleDoesNotResolvePathsInTheDirectoryOpenedAfterIt() throws IOException {
        Path first = Files.createDirectory(tempDir.resolve("first"));
        Path second = Files.createDirectory(tempDir.resolve("second"));
        fileWith("second/inside", "inside");
        int stale = open(first, AioOpenOption.DIRECTORY);
        assertThat(call(c -> ops.close(stale, null, c))).isZero();
        int fresh = open(second, AioOpenOption.DIRECTORY);
        assertThat(call(c -> ops.openAt(stale, Path.of("inside"), Set.of(), null, c))).isEqualTo(-AioErrno.EBADF);
        AioStat stat = AioStat.allocate(arena);
        assertThat(call(c -> ops.stat(stale, Path.of("inside"), true, stat, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.unlink(stale, Path.of("inside"), false, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.stat(fresh, Path.of("inside"), true, stat, null, c))).isZero();
        assertThat(second.resolve("inside")).exists();
    }

    @Test
    @Timeout(60)
    void aStaleConnectionDoesNotWriteToTheNewConnectionsPeer() {
        int[] old = connectedPair();
        assertThat(call(c -> ops.close(old[0], null, c))).isZero();
        assertThat(call(c -> ops.close(old[1], null, c))).isZero();
        int[] pair = connectedPair();
        assertThat(call(c -> ops.write(old[0], bytes("stale"), STREAM, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.write(old[1], bytes("stale"), STREAM, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.shutdown(old[0], AioShutdown.WRITE, null, c)))
                .isEqualTo(-AioErrno.EBADF);
        // Each peer receives exactly what its own peer sent, nothing of the stale writes first.
        for (int i = 0; i < 2; i++) {
            int from = pair[i];
            int to = pair[1 - i];
            MemorySegment sent = bytes("fresh" + i);
            assertThat(call(c -> {
                AioTransfers.writeFully(ops, from, sent, STREAM, null, c);
                return 1;
            })).isEqualTo((int) sent.byteSize());
            MemorySegment got = arena.allocate(sent.byteSize());
            assertThat(call(c -> {
                AioTransfers.readFully(ops, to, got, STREAM, null, c);
                return 1;
            })).isEqualTo((int) sent.byteSize());
            assertThat(text(got, (int) got.byteSize())).isEqualTo("fresh" + i);
        }
    }

    @Test
    @Timeout(60)
    void aStaleConnectionOrListenerDoesNotReadOrAcceptFromTheNewOnes() {
        int[] old = connectedPair();
        int oldListener = listen();
        assertThat(call(c -> ops.close(old[0], null, c))).isZero();
        assertThat(call(c -> ops.close(old[1], null, c))).isZero();
        assertThat(call(c -> ops.close(oldListener, null, c))).isZero();
        int[] pair = connectedPair();
        int listener = listen();
        MemorySegment buf = arena.allocate(1);
        assertThat(call(c -> ops.read(old[0], buf, STREAM, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.read(old[1], buf, STREAM, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.accept(oldListener, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.write(pair[1], bytes("x"), STREAM, null, c))).isEqualTo(1);
        assertThat(call(c -> ops.read(pair[0], buf, STREAM, null, c))).isEqualTo(1);
        assertThat(text(buf, 1)).isEqualTo("x");
        AioCompletionRecorder<Object> accepted = recorder();
        ops.accept(listener, null, accepted);
        int client = call(c -> ops.connect(addressOf(listener), null, c));
        assertThat(client).isGreaterThanOrEqualTo(0);
        assertThat(accepted.await()).isGreaterThanOrEqualTo(0);
    }

    @Test
    @Timeout(60)
    void aStaleEventfdDoesNotSignalTheEventfdCreatedAfterIt() {
        int stale = eventfd(0);
        assertThat(call(c -> ops.close(stale, null, c))).isZero();
        int fresh = eventfd(0);
        assertThat(ops.signal(stale, 5)).isFalse();
        MemorySegment counter = arena.allocate(8);
        counter.set(JAVA_LONG, 0, 7);
        assertThat(call(c -> ops.write(stale, counter, STREAM, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(call(c -> ops.read(stale, counter, STREAM, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(ops.signal(fresh, 1)).isTrue();
        assertThat(call(c -> ops.read(fresh, counter, STREAM, null, c))).isEqualTo(8);
        assertThat(counter.get(JAVA_LONG, 0)).as("only the fresh signal").isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void synchronousCallsOnAStaleSocketHandleThrowEbadf() {
        int[] old = connectedPair();
        int oldListener = listen();
        assertThat(call(c -> ops.close(old[0], null, c))).isZero();
        assertThat(call(c -> ops.close(old[1], null, c))).isZero();
        assertThat(call(c -> ops.close(oldListener, null, c))).isZero();
        int[] pair = connectedPair();
        int listener = listen();
        for (int stale : new int[] {old[0], old[1], oldListener}) {
            assertErrno(() -> ops.localAddress(stale), AioErrno.EBADF);
            assertErrno(() -> ops.setSocketOption(stale, AioSocketOption.TCP_NODELAY, 0), AioErrno.EBADF);
            assertErrno(() -> ops.socketOption(stale, AioSocketOption.TCP_NODELAY), AioErrno.EBADF);
            assertErrno(() -> ops.remoteAddress(stale), AioErrno.EBADF);
        }
        // The new sockets kept their options and still answer.
        for (int live : pair) {
            assertThat(catching(() -> ops.socketOption(live, AioSocketOption.TCP_NODELAY))).isEqualTo(1);
            assertThat(catching(() -> ((java.net.InetSocketAddress) ops.localAddress(live)).getPort()))
                    .isPositive();
        }
        assertThat(addressOf(listener).getPort()).isPositive();
    }

    @Test
    @Timeout(60)
    void fileDescriptorGivesTheDescriptorOfALiveHandleExactlyWhereRawFdIsSupported() throws IOException {
        Path file = fileWith("raw", "raw");
        int h = open(file);
        if (ops.supports(AioCapability.RAW_FD)) {
            int fd = catching(() -> ops.fileDescriptor(h));
            assertThat(fd).isNotNegative();
            Path link = Path.of("/proc/self/fd/" + fd);
            assertThat(Files.readSymbolicLink(link)).isEqualTo(file.toRealPath());
            assertThat(h).as("a handle is never the bare descriptor").isNotEqualTo(fd);
            // Nor is the bare descriptor a handle.
            assertThat(call(c -> ops.read(fd, arena.allocate(3), 0, null, c))).isEqualTo(-AioErrno.EBADF);
            int[] pair = connectedPair();
            int e = eventfd(0);
            for (int handle : new int[] {pair[0], pair[1], e}) {
                assertThat(catching(() -> ops.fileDescriptor(handle))).isNotNegative();
            }
        } else {
            assertErrno(() -> ops.fileDescriptor(h), AioErrno.EOPNOTSUPP);
        }
    }

    @Test
    @Timeout(60)
    void fileDescriptorOfAStaleOrUnknownHandleThrows() throws IOException {
        int stale = staleFileHandle();
        int fresh = open(fileWith("new", "new!"));
        int expected = ops.supports(AioCapability.RAW_FD) ? AioErrno.EBADF : AioErrno.EOPNOTSUPP;
        assertErrno(() -> ops.fileDescriptor(stale), expected);
        assertErrno(() -> ops.fileDescriptor(-1), expected);
        assertErrno(() -> ops.fileDescriptor(Integer.MAX_VALUE), expected);
        if (ops.supports(AioCapability.RAW_FD)) {
            assertThat(catching(() -> ops.fileDescriptor(fresh))).isNotNegative();
        }
    }

    @Test
    @Timeout(60)
    void aHandleOfAnotherInstanceIsUnknownHere() throws IOException {
        int mine = open(fileWith("mine", "mine"));
        try (AioOperations other = provider().open(config())) {
            AioCompletionRecorder<Object> opened = new AioCompletionRecorder<>(other);
            other.open(fileWith("theirs", "theirs"), Set.of(), null, opened);
            int theirs = opened.await();
            assertThat(theirs).isNotNegative();
            AioCompletionRecorder<Object> eventfd = new AioCompletionRecorder<>(other);
            other.eventfd(0, null, eventfd);
            int theirEventfd = eventfd.await();
            assertThat(theirEventfd).isNotNegative();
            MemorySegment buf = arena.allocate(4);
            if (theirs != mine) {
                assertThat(call(c -> ops.read(theirs, buf, 0, null, c))).isEqualTo(-AioErrno.EBADF);
                assertThat(call(c -> ops.close(theirs, null, c))).isEqualTo(-AioErrno.EBADF);
            }
            assertThat(ops.signal(theirEventfd, 1)).isFalse();
            AioCompletionRecorder<Object> read = new AioCompletionRecorder<>(other);
            other.read(mine, buf, 0, null, read);
            assertThat(read.await()).isEqualTo(-AioErrno.EBADF);
            // Both handles still work where they belong.
            assertThat(call(c -> ops.read(mine, buf, 0, null, c))).isEqualTo(4);
            assertThat(text(buf, 4)).isEqualTo("mine");
            AioCompletionRecorder<Object> own = new AioCompletionRecorder<>(other);
            other.read(theirs, buf, 0, null, own);
            assertThat(own.await()).isEqualTo(4);
            assertThat(text(buf, 4)).isEqualTo("thei");
        }
    }

    @Test
    @Timeout(300)
    void handlesStayNonNegativeAndNewOverManyReusesOfOneSlot() throws Exception {
        // A chain on the loop: eventfd, close, eventfd, ... each step queued with execute, so nothing nests.
        CompletableFuture<String> done = new CompletableFuture<>();
        int[] state = {0, -1, Integer.MAX_VALUE}; // cycles done, previous handle, smallest handle
        Runnable[] step = new Runnable[1];
        step[0] = () -> ops.eventfd(0, null, (h, a) -> {
            if (h < 0 || h == state[1]) {
                done.complete("cycle " + state[0] + ": eventfd gave " + h + " after " + state[1]);
                return;
            }
            state[2] = Math.min(state[2], h);
            ops.close(h, null, (r, b) -> {
                if (r != 0) {
                    done.complete("cycle " + state[0] + ": close(" + h + ") gave " + r);
                    return;
                }
                state[1] = h;
                if (++state[0] == CYCLES) {
                    done.complete(null);
                } else {
                    ops.execute(step[0]);
                }
            });
        });
        ops.execute(step[0]);
        assertThat(done.get(240, TimeUnit.SECONDS)).isNull();
        assertThat(state[2]).isNotNegative();
        int last = state[1];
        assertThat(ops.signal(last, 1)).isFalse();
        assertThat(call(c -> ops.close(last, null, c))).isEqualTo(-AioErrno.EBADF);
        int next = eventfd(0);
        assertThat(next).isNotNegative().isNotEqualTo(last);
    }

    /** A synchronous call's value; its failure fails the test. */
    private static <T> T catching(IoCall<T> call) {
        try {
            return call.call();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @FunctionalInterface
    private interface IoCall<T> {
        T call() throws IOException;
    }
}
