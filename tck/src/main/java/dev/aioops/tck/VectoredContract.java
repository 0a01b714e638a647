package dev.aioops.tck;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioTransfers;
import dev.aioops.spi.AioVector;
import dev.aioops.spi.AioVectoredOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.aioops.spi.AioOperations.STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Vectored reads and writes ({@link AioVectoredOperations}): segments filled and sent in order on files and
 * sockets, short transfers that end inside a segment, end of file and of stream, the errno of each wrong handle,
 * misuse that throws, and cancellation and handle close of a pending vectored read.
 */
public abstract class VectoredContract extends AioContract {

    /** For subclasses. */
    protected VectoredContract() {
    }

    private AioVector vector(MemorySegment... segments) {
        AioVector v = AioVector.allocate(arena, Math.max(segments.length, 1));
        for (MemorySegment s : segments) {
            v.add(s);
        }
        return v;
    }

    private int readv(int handle, long offset, AioVector v) {
        return call(c -> ops.readv(handle, v, offset, null, c));
    }

    private int writev(int handle, long offset, AioVector v) {
        return call(c -> ops.writev(handle, v, offset, null, c));
    }

    /** Reads from a stream until the segments are full, each time with a vector of what is still empty. */
    private void readvFully(int handle, MemorySegment... segments) {
        long total = 0;
        for (MemorySegment s : segments) {
            total += s.byteSize();
        }
        long done = 0;
        while (done < total) {
            AioVector rest = remainder(done, segments);
            int n = readv(handle, STREAM, rest);
            assertThat(n).as("readv after %d of %d bytes: %s", done, total, AioCompletionRecorder.describe(n))
                    .isPositive();
            done += n;
        }
    }

    /** Writes to a stream until every segment is sent, as a caller loops over short writes. */
    private void writevFully(int handle, MemorySegment... segments) {
        long total = 0;
        for (MemorySegment s : segments) {
            total += s.byteSize();
        }
        long done = 0;
        while (done < total) {
            int n = writev(handle, STREAM, remainder(done, segments));
            assertThat(n).as("writev after %d of %d bytes: %s", done, total, AioCompletionRecorder.describe(n))
                    .isPositive();
            done += n;
        }
    }

    /** A vector of the segments' bytes from {@code skip} on. */
    private AioVector remainder(long skip, MemorySegment... segments) {
        AioVector v = AioVector.allocate(arena, segments.length);
        for (MemorySegment s : segments) {
            if (skip >= s.byteSize()) {
                skip -= s.byteSize();
                continue;
            }
            v.add(s.asSlice(skip));
            skip = 0;
        }
        return v;
    }

    private Path fileOf(String contents) throws IOException {
        Path path = tempDir.resolve("data");
        Files.writeString(path, contents);
        return path;
    }

    // ------------------------------------------------------------------------------------------------- files

    @Test
    @Timeout(60)
    void fileWritevThenReadvAtAnOffset() throws IOException {
        Path path = fileOf("0123456789");
        int h = open(path, AioOpenOption.READ, AioOpenOption.WRITE);
        assertThat(writev(h, 4, vector(bytes("ab"), bytes("cde"), bytes("f")))).isEqualTo(6);
        assertThat(Files.readString(path)).isEqualTo("0123abcdef");

        MemorySegment a = arena.allocate(3);
        MemorySegment b = arena.allocate(1);
        MemorySegment c = arena.allocate(4);
        assertThat(readv(h, 2, vector(a, b, c))).isEqualTo(8);
        assertThat(text(a, 3) + "|" + text(b, 1) + "|" + text(c, 4)).isEqualTo("23a|b|cdef");
    }

    @Test
    @Timeout(60)
    void fileWritevAndReadvAtTheCurrentPosition() throws IOException {
        Path path = tempDir.resolve("stream");
        int w = open(path, AioOpenOption.WRITE, AioOpenOption.CREATE);
        assertThat(writev(w, STREAM, vector(bytes("one "), bytes("two ")))).isEqualTo(8);
        assertThat(writev(w, STREAM, vector(bytes("three")))).isEqualTo(5);
        assertThat(Files.readString(path)).isEqualTo("one two three");

        int r = open(path, AioOpenOption.READ);
        MemorySegment first = arena.allocate(4);
        MemorySegment second = arena.allocate(3);
        assertThat(readv(r, STREAM, vector(first, second))).isEqualTo(7);
        assertThat(text(first, 4) + text(second, 3)).isEqualTo("one two");
        MemorySegment rest = arena.allocate(16);
        assertThat(readv(r, STREAM, vector(rest))).isEqualTo(6);
        assertThat(text(rest, 6)).isEqualTo(" three");
        assertThat(readv(r, STREAM, vector(rest))).as("end of file").isZero();
    }

    @Test
    @Timeout(60)
    void aShortReadAtEndOfFileEndsInsideASegment() throws IOException {
        int h = open(fileOf("abcdefghijklmnopqrst"), AioOpenOption.READ);
        MemorySegment a = arena.allocate(4);
        MemorySegment b = arena.allocate(4);
        MemorySegment c = arena.allocate(8).fill((byte) '.');
        assertThat(readv(h, 8, vector(a, b, c))).as("12 bytes left for 4 + 4 + 8").isEqualTo(12);
        assertThat(text(a, 4) + "|" + text(b, 4) + "|" + text(c, 8)).isEqualTo("ijkl|mnop|qrst....");
        assertThat(readv(h, 20, vector(a, b, c))).as("at end of file").isZero();
    }

    @Test
    @Timeout(60)
    void writevToAFileOpenedReadOnlyIsEbadf() throws IOException {
        int h = open(fileOf("x"), AioOpenOption.READ);
        assertThat(writev(h, 0, vector(bytes("y")))).isEqualTo(-AioErrno.EBADF);
    }

    // ----------------------------------------------------------------------------------------------- sockets

    @Test
    @Timeout(60)
    void readvFillsTheSegmentsInOrderFromOneWrite() {
        int[] pair = connectedPair();
        assertThat(call(c -> ops.write(pair[0], bytes("headerbody-tail"), STREAM, null, c))).isEqualTo(15);
        MemorySegment head = arena.allocate(6);
        MemorySegment body = arena.allocate(5);
        MemorySegment tail = arena.allocate(4);
        readvFully(pair[1], head, body, tail);
        assertThat(text(head, 6) + "|" + text(body, 5) + "|" + text(tail, 4)).isEqualTo("header|body-|tail");
    }

    @Test
    @Timeout(60)
    void writevOfAHeadAndABodyArrivesInOrder() {
        int[] pair = connectedPair();
        writevFully(pair[0], bytes("HEAD\r\n"), bytes("the body"));
        MemorySegment into = arena.allocate(14);
        assertThat(call(c -> {
            AioTransfers.readFully(ops, pair[1], into, STREAM, null, c);
            return 1;
        })).isEqualTo(14);
        assertThat(text(into, 14)).isEqualTo("HEAD\r\nthe body");
    }

    @Test
    @Timeout(120)
    void aLargeGatherWriteArrivesIntact() {
        int[] pair = connectedPair();
        int mib = 1024 * 1024;
        MemorySegment[] parts = {pattern(mib, 0), pattern(mib + 17, 3), pattern(2 * mib - 17, 7)};
        long total = 4L * mib;
        MemorySegment into = arena.allocate(total);
        AioCompletionRecorder<Object> received = recorder();
        AioTransfers.readFully(ops, pair[1], into, STREAM, null, received);
        writevFully(pair[0], parts);
        assertThat(received.await()).isEqualTo((int) total);
        long at = 0;
        for (MemorySegment part : parts) {
            assertThat(into.asSlice(at, part.byteSize()).mismatch(part)).as("part at %d", at).isEqualTo(-1L);
            at += part.byteSize();
        }
    }

    @Test
    @Timeout(60)
    void readvAtEndOfStreamGivesZero() {
        int[] pair = connectedPair();
        assertThat(call(c -> ops.close(pair[0], null, c))).isZero();
        assertThat(readv(pair[1], STREAM, vector(arena.allocate(4), arena.allocate(4)))).isZero();
    }

    @Test
    @Timeout(60)
    void aPositionOnASocketIsEspipe() {
        int[] pair = connectedPair();
        assertThat(readv(pair[1], 0, vector(arena.allocate(4)))).isEqualTo(-AioErrno.ESPIPE);
        assertThat(writev(pair[0], 0, vector(bytes("x")))).isEqualTo(-AioErrno.ESPIPE);
    }

    @Test
    @Timeout(60)
    void onAListenerReadvIsEnotconnAndWritevEpipe() {
        int l = listen();
        assertThat(readv(l, STREAM, vector(arena.allocate(4)))).isEqualTo(-AioErrno.ENOTCONN);
        assertThat(writev(l, STREAM, vector(bytes("x")))).isEqualTo(-AioErrno.EPIPE);
    }

    // ------------------------------------------------------------------------------------------------ errnos

    @Test
    @Timeout(60)
    void anUnknownOrClosedHandleIsEbadf() throws IOException {
        int h = open(fileOf("abc"), AioOpenOption.READ, AioOpenOption.WRITE);
        assertThat(call(c -> ops.close(h, null, c))).isZero();
        assertThat(readv(h, 0, vector(arena.allocate(4)))).isEqualTo(-AioErrno.EBADF);
        assertThat(writev(h, 0, vector(bytes("x")))).isEqualTo(-AioErrno.EBADF);
        assertThat(readv(0x7654_3210, STREAM, vector(arena.allocate(4)))).isEqualTo(-AioErrno.EBADF);
    }

    @Test
    @Timeout(60)
    void anEventfdTakesNoVector() {
        int e = eventfd(1);
        MemorySegment counter = arena.allocate(8);
        assertThat(readv(e, STREAM, vector(counter))).isEqualTo(-AioErrno.EINVAL);
        counter.set(ValueLayout.JAVA_LONG, 0, 1);
        assertThat(writev(e, STREAM, vector(counter))).isEqualTo(-AioErrno.EINVAL);
        assertThat(call(c -> ops.read(e, counter, STREAM, null, c))).as("the counter is untouched").isEqualTo(8);
        assertThat(counter.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(1);
    }

    // ------------------------------------------------------------------------------------------------ misuse

    @Test
    void misuseThrowsAtOnce() throws IOException {
        int h = open(fileOf("abc"), AioOpenOption.READ, AioOpenOption.WRITE);
        AioCompletionRecorder<Object> never = recorder();
        AioVector empty = AioVector.allocate(arena, 2);
        assertThatThrownBy(() -> ops.readv(h, empty, 0, null, never)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.writev(h, empty, 0, null, never)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.readv(h, null, 0, null, never)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.writev(h, null, 0, null, never)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.readv(h, vector(arena.allocate(4)), 0, null, null))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.readv(h, vector(arena.allocate(4)), -2, null, never))
                .isInstanceOf(IllegalArgumentException.class);
        AioVector readOnly = vector(arena.allocate(4), arena.allocate(4).asReadOnly());
        assertThatThrownBy(() -> ops.readv(h, readOnly, 0, null, never))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("read-only");
        AioVector closed;
        try (Arena gone = Arena.ofConfined()) {
            closed = vector(arena.allocate(4), gone.allocate(4));
        }
        assertThatThrownBy(() -> ops.readv(h, closed, 0, null, never)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.writev(h, closed, 0, null, never)).isInstanceOf(IllegalStateException.class);
        assertThat(never.calls()).as("nothing was submitted").isZero();
        // A read-only segment is fine to write from.
        assertThat(writev(h, 0, vector(bytes("X").asReadOnly()))).isEqualTo(1);
        assertThat(Files.readString(tempDir.resolve("data"), StandardCharsets.UTF_8)).isEqualTo("Xbc");
    }

    // ----------------------------------------------------------------------------------------- cancel, close

    @Test
    @Timeout(60)
    void cancelOfAPendingSocketReadvGivesEcanceledOnce() {
        int[] pair = connectedPair();
        AioCompletionRecorder<Object> read = recorder();
        long token = ops.readv(pair[1], vector(arena.allocate(4), arena.allocate(4)), STREAM, null, read);
        assertThat(token).isNotZero();
        ops.cancel(token);
        assertThat(read.await()).isEqualTo(-AioErrno.ECANCELED);
        ops.cancel(token);
        // The connection is still usable, and the cancelled read took none of its bytes.
        assertThat(call(c -> ops.write(pair[0], bytes("after"), STREAM, null, c))).isEqualTo(5);
        MemorySegment a = arena.allocate(2);
        MemorySegment b = arena.allocate(3);
        readvFully(pair[1], a, b);
        assertThat(text(a, 2) + text(b, 3)).isEqualTo("after");
        assertThat(read.calls()).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void closingTheHandleCompletesAPendingReadvWithEcanceledOnce() {
        int[] pair = connectedPair();
        AioCompletionRecorder<Object> read = recorder();
        ops.readv(pair[1], vector(arena.allocate(4), arena.allocate(4)), STREAM, null, read);
        assertThat(call(c -> ops.close(pair[1], null, c))).isZero();
        assertThat(read.await()).isEqualTo(-AioErrno.ECANCELED);
        assertThat(read.calls()).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void aVectorIsReusedAfterItsCompletion() throws IOException {
        int h = open(fileOf("abcdefgh"), AioOpenOption.READ);
        MemorySegment a = arena.allocate(2);
        MemorySegment b = arena.allocate(2);
        AioVector v = vector(a, b);
        StringBuilder seen = new StringBuilder();
        for (int at = 0; at < 8; at += 4) {
            assertThat(readv(h, at, v)).isEqualTo(4);
            seen.append(text(a, 2)).append(text(b, 2));
        }
        v.clear().add(b).add(a);
        assertThat(readv(h, 0, v)).isEqualTo(4);
        assertThat(seen + "|" + text(b, 2) + text(a, 2)).isEqualTo("abcdefgh|abcd");
    }
}
