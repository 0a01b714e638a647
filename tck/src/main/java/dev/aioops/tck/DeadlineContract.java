package dev.aioops.tck;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioDeadlineOperations;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.aioops.spi.AioOperations.STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Operations with a deadline ({@link AioDeadlineOperations}): a socket read, readv or accept that waits past its
 * deadline completes once with {@code -ETIMEDOUT} and leaves the handle usable; one that finishes first keeps its
 * result; cancel and handle close before either give {@code -ECANCELED}; a read racing its deadline completes
 * exactly once either way; a deadline that is not positive throws.
 */
public abstract class DeadlineContract extends AioContract {

    /** A deadline the operations of a test never reach. */
    private static final long LONG = TimeUnit.SECONDS.toNanos(20);
    /** A deadline a test waits for. */
    private static final long SHORT = TimeUnit.MILLISECONDS.toNanos(200);
    /** Well under it a timed-out operation must have completed. */
    private static final long LATE = TimeUnit.SECONDS.toNanos(10);

    /** For subclasses. */
    protected DeadlineContract() {
    }

    private AioVector vector(MemorySegment... segments) {
        AioVector v = AioVector.allocate(arena, segments.length);
        for (MemorySegment s : segments) {
            v.add(s);
        }
        return v;
    }

    private int write(int handle, String text) {
        return call(c -> ops.write(handle, bytes(text), STREAM, null, c));
    }

    /** Reads exactly {@code length} bytes of a stream, with no deadline. */
    private String readFully(int handle, int length) {
        MemorySegment into = arena.allocate(length);
        int done = 0;
        while (done < length) {
            int at = done;
            int n = call(c -> ops.read(handle, into.asSlice(at), STREAM, null, c));
            assertThat(n).as("read after %d of %d bytes: %s", done, length, AioCompletionRecorder.describe(n))
                    .isPositive();
            done += n;
        }
        return text(into, length);
    }

    /** Asserts that an operation ran until its deadline, not much longer, and timed out. */
    private static void assertTimedOut(int result, long startNanos, long timeoutNanos) {
        long elapsed = System.nanoTime() - startNanos;
        assertThat(result).as(AioCompletionRecorder.describe(result)).isEqualTo(-AioErrno.ETIMEDOUT);
        assertThat(elapsed).as("nanoseconds until -ETIMEDOUT").isGreaterThanOrEqualTo(timeoutNanos)
                .isLessThan(LATE);
    }

    // ------------------------------------------------------------------------------------------- timing out

    @Test
    @Timeout(60)
    void aSocketReadWithNoDataTimesOutAtItsDeadline() {
        int[] pair = connectedPair();
        long start = System.nanoTime();
        int result = call(c -> ops.read(pair[1], arena.allocate(8), STREAM, SHORT, null, c));
        assertTimedOut(result, start, SHORT);
    }

    @Test
    @Timeout(60)
    void aSocketStillWorksAfterATimedOutRead() {
        int[] pair = connectedPair();
        assertThat(call(c -> ops.read(pair[1], arena.allocate(8), STREAM, SHORT, null, c)))
                .isEqualTo(-AioErrno.ETIMEDOUT);
        // The timed-out read took nothing: a later read, with a deadline or without, gets every byte.
        assertThat(write(pair[0], "later")).isEqualTo(5);
        MemorySegment into = arena.allocate(5);
        int n = call(c -> ops.read(pair[1], into, STREAM, LONG, null, c));
        assertThat(n).isPositive();
        assertThat(text(into, n) + readFully(pair[1], 5 - n)).isEqualTo("later");
        assertThat(write(pair[1], "back")).isEqualTo(4);
        assertThat(readFully(pair[0], 4)).isEqualTo("back");
    }

    @Test
    @Timeout(60)
    void aSocketReadvWithNoDataTimesOut() {
        int[] pair = connectedPair();
        long start = System.nanoTime();
        int result = call(c -> ops.readv(pair[1], vector(arena.allocate(4), arena.allocate(4)), STREAM, SHORT,
                null, c));
        assertTimedOut(result, start, SHORT);
    }

    @Test
    @Timeout(60)
    void anAcceptWithNoClientTimesOutAndTheListenerStillAccepts() {
        int listener = listen();
        long start = System.nanoTime();
        int result = call(c -> ops.accept(listener, SHORT, null, c));
        assertTimedOut(result, start, SHORT);

        AioCompletionRecorder<Object> accepted = recorder();
        ops.accept(listener, LONG, null, accepted);
        int client = call(c -> ops.connect(addressOf(listener), null, c));
        assertThat(client).as(AioCompletionRecorder.describe(client)).isGreaterThanOrEqualTo(0);
        assertThat(accepted.await()).as("accept after a timed-out one").isGreaterThanOrEqualTo(0);
    }

    // ---------------------------------------------------------------------------------- finishing in time

    @Test
    @Timeout(60)
    void aReadWhoseDataArrivesFirstCompletesWithTheData() {
        int[] pair = connectedPair();
        MemorySegment into = arena.allocate(16);
        AioCompletionRecorder<Object> read = recorder();
        ops.read(pair[1], into, STREAM, LONG, null, read);
        assertThat(write(pair[0], "hello")).isEqualTo(5);
        int n = read.await();
        assertThat(n).isPositive();
        assertThat(text(into, n) + readFully(pair[1], 5 - n)).isEqualTo("hello");
    }

    @Test
    @Timeout(60)
    void aReadvWhoseDataArrivesFirstFillsTheSegments() {
        int[] pair = connectedPair();
        assertThat(write(pair[0], "abcdef")).isEqualTo(6);
        MemorySegment a = arena.allocate(2);
        MemorySegment b = arena.allocate(4);
        int n = call(c -> ops.readv(pair[1], vector(a, b), STREAM, LONG, null, c));
        assertThat(n).isPositive();
        String got = n <= 2 ? text(a, n) : text(a, 2) + text(b, n - 2);
        assertThat(got + readFully(pair[1], 6 - n)).isEqualTo("abcdef");
    }

    @Test
    @Timeout(60)
    void writeAndWritevToASocketWithRoomCompleteNormally() {
        int[] pair = connectedPair();
        assertThat(call(c -> ops.write(pair[0], bytes("one"), STREAM, LONG, null, c))).isEqualTo(3);
        assertThat(call(c -> ops.writev(pair[0], vector(bytes("tw"), bytes("o")), STREAM, LONG, null, c)))
                .isEqualTo(3);
        assertThat(readFully(pair[1], 6)).isEqualTo("onetwo");
    }

    @Test
    @Timeout(60)
    void aConnectToAListeningSocketCompletesBeforeItsDeadline() {
        int listener = listen();
        AioCompletionRecorder<Object> accepted = recorder();
        ops.accept(listener, LONG, null, accepted);
        InetSocketAddress address = addressOf(listener);
        int client = call(c -> ops.connect(address, LONG, null, c));
        assertThat(client).as(AioCompletionRecorder.describe(client)).isGreaterThanOrEqualTo(0);
        int server = accepted.await();
        assertThat(server).as(AioCompletionRecorder.describe(server)).isGreaterThanOrEqualTo(0);
        assertThat(write(client, "hi")).isEqualTo(2);
        assertThat(readFully(server, 2)).isEqualTo("hi");
    }

    @Test
    @Timeout(60)
    void fileReadAndWriteWithADeadlineCompleteWithTheirResult() throws IOException {
        Path path = tempDir.resolve("data");
        Files.writeString(path, "0123456789");
        int h = open(path, AioOpenOption.READ, AioOpenOption.WRITE);
        assertThat(call(c -> ops.write(h, bytes("ab"), 2, LONG, null, c))).isEqualTo(2);
        MemorySegment into = arena.allocate(6);
        assertThat(call(c -> ops.read(h, into, 0, LONG, null, c))).isEqualTo(6);
        assertThat(text(into, 6)).isEqualTo("01ab45");
    }

    // ------------------------------------------------------------------------------------ cancel and close

    @Test
    @Timeout(60)
    void cancelBeforeTheDeadlineGivesEcanceledOnce() {
        int[] pair = connectedPair();
        AioCompletionRecorder<Object> read = recorder();
        long token = ops.read(pair[1], arena.allocate(8), STREAM, LONG, null, read);
        ops.cancel(token);
        assertThat(read.await()).isEqualTo(-AioErrno.ECANCELED);
        assertThat(write(pair[0], "x")).isEqualTo(1);
        assertThat(readFully(pair[1], 1)).isEqualTo("x");
        assertThat(read.calls()).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void closingTheHandleGivesEcanceledOnce() {
        int[] pair = connectedPair();
        AioCompletionRecorder<Object> read = recorder();
        ops.read(pair[1], arena.allocate(8), STREAM, LONG, null, read);
        AioCompletionRecorder<Object> accept = recorder();
        int listener = listen();
        ops.accept(listener, LONG, null, accept);
        assertThat(call(c -> ops.close(pair[1], null, c))).isZero();
        assertThat(call(c -> ops.close(listener, null, c))).isZero();
        assertThat(read.await()).isEqualTo(-AioErrno.ECANCELED);
        assertThat(accept.await()).isEqualTo(-AioErrno.ECANCELED);
    }

    @Test
    @Timeout(60)
    void closingTheInstanceGivesEcanceledOnce() {
        int[] pair = connectedPair();
        AioCompletionRecorder<Object> read = recorder();
        ops.read(pair[1], arena.allocate(8), STREAM, LONG, null, read);
        ops.close();
        assertThat(read.await()).isEqualTo(-AioErrno.ECANCELED);
        assertThat(read.calls()).isEqualTo(1);
    }

    // -------------------------------------------------------------------------------------------- racing

    @Test
    @Timeout(120)
    void aReadRacingItsDeadlineCompletesExactlyOnceEitherWay() {
        int[] pair = connectedPair();
        long deadline = TimeUnit.MICROSECONDS.toNanos(500);
        List<AioCompletionRecorder<Object>> reads = new ArrayList<>();
        int data = 0;
        int timedOut = 0;
        for (int i = 0; i < 1_000; i++) {
            MemorySegment one = arena.allocate(1);
            MemorySegment into = arena.allocate(1);
            one.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 'a');
            AioCompletionRecorder<Object> read = recorder();
            reads.add(read);
            AioCompletionRecorder<Object> sent = recorder();
            // The byte leaves when a timer as long as the read's deadline fires: the two race on the loop.
            ops.timeout(deadline, null, (AioCompletion<Object>) (r, a) -> ops.write(pair[0], one, STREAM, null, sent));
            ops.read(pair[1], into, STREAM, deadline, null, read);
            int result = read.await();
            assertThat(sent.await()).isEqualTo(1);
            if (result == 1) {
                assertThat(text(into, 1)).isEqualTo("a");
                data++;
            } else {
                assertThat(result).as("iteration %d: %s", i, AioCompletionRecorder.describe(result))
                        .isEqualTo(-AioErrno.ETIMEDOUT);
                timedOut++;
                // The byte is still in the socket: the timed-out read took nothing.
                assertThat(readFully(pair[1], 1)).isEqualTo("a");
            }
        }
        // A last round trip through the loop, after which a second completion would have been seen.
        assertThat(call(c -> ops.timeout(TimeUnit.MILLISECONDS.toNanos(1), null, c))).isZero();
        assertThat(data + timedOut).isEqualTo(1_000);
        for (AioCompletionRecorder<Object> r : reads) {
            assertThat(r.calls()).isEqualTo(1);
        }
    }

    // ------------------------------------------------------------------------------------------------ misuse

    @Test
    void aDeadlineThatIsNotPositiveThrowsAtOnce() {
        int[] pair = connectedPair();
        int listener = listen();
        AioCompletionRecorder<Object> never = recorder();
        for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
            assertThatThrownBy(() -> ops.read(pair[0], arena.allocate(4), STREAM, bad, null, never))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeoutNanos");
            assertThatThrownBy(() -> ops.write(pair[0], arena.allocate(4), STREAM, bad, null, never))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ops.readv(pair[0], vector(arena.allocate(4)), STREAM, bad, null, never))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ops.writev(pair[0], vector(arena.allocate(4)), STREAM, bad, null, never))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ops.accept(listener, bad, null, never))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ops.connect(addressOf(listener), bad, null, never))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ops.read(pair[0], arena.allocate(4), STREAM, SHORT, null, null))
                .isInstanceOf(NullPointerException.class);
        assertThat(never.calls()).as("nothing was submitted").isZero();
    }
}
