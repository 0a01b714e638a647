package dev.aioops.tck;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import static dev.aioops.spi.AioOpenOption.APPEND;
import static dev.aioops.spi.AioOpenOption.CREATE;
import static dev.aioops.spi.AioOpenOption.CREATE_NEW;
import static dev.aioops.spi.AioOpenOption.DIRECT;
import static dev.aioops.spi.AioOpenOption.READ;
import static dev.aioops.spi.AioOpenOption.TRUNCATE;
import static dev.aioops.spi.AioOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Files: positional and stream reads and writes, end of file, open options, {@code O_DIRECT}, fsync.
 */
public abstract class FileContract extends AioContract {

    /** For subclasses. */
    protected FileContract() {
    }

    private Path fileWith(String content) throws IOException {
        Path file = tempDir.resolve("data.txt");
        Files.writeString(file, content);
        return file;
    }

    @Test
    @Timeout(60)
    void positionalWritesAndReadsLandWhereAsked() throws IOException {
        Path file = tempDir.resolve("positional");
        int h = open(file, READ, WRITE, CREATE);
        assertThat(call(c -> ops.write(h, bytes("world"), 100, null, c))).isEqualTo(5);
        assertThat(call(c -> ops.write(h, bytes("hello"), 0, null, c))).isEqualTo(5);
        MemorySegment buf = arena.allocate(5);
        assertThat(call(c -> ops.read(h, buf, 100, null, c))).isEqualTo(5);
        assertThat(text(buf, 5)).isEqualTo("world");
        assertThat(call(c -> ops.read(h, buf, 0, null, c))).isEqualTo(5);
        assertThat(text(buf, 5)).isEqualTo("hello");
        assertThat(call(c -> ops.close(h, null, c))).isZero();
        byte[] onDisk = Files.readAllBytes(file);
        assertThat(onDisk).hasSize(105);
        assertThat(new String(onDisk, 0, 5, StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(onDisk[50]).isZero();
    }

    @Test
    @Timeout(60)
    void readAtEndOfFileCompletesWithZero() throws IOException {
        int h = open(fileWith("0123456789"));
        assertThat(call(c -> ops.read(h, arena.allocate(16), 10, null, c))).isZero();
    }

    @Test
    @Timeout(60)
    void readBeyondEndOfFileCompletesWithZero() throws IOException {
        int h = open(fileWith("0123456789"));
        assertThat(call(c -> ops.read(h, arena.allocate(16), 1_000_000, null, c))).isZero();
    }

    @Test
    @Timeout(60)
    void readAcrossEndOfFileIsShort() throws IOException {
        int h = open(fileWith("0123456789"));
        MemorySegment buf = arena.allocate(64);
        assertThat(call(c -> ops.read(h, buf, 4, null, c))).isEqualTo(6);
        assertThat(text(buf, 6)).isEqualTo("456789");
    }

    @Test
    @Timeout(60)
    void directReadsWorkWhereSupportedAndAreRefusedElsewhere() throws IOException {
        Path file = tempDir.resolve("direct");
        byte[] content = new byte[8192];
        for (int i = 0; i < content.length; i++) {
            content[i] = patternByte(i, 3);
        }
        Files.write(file, content);
        int h = call(c -> ops.open(file, EnumSet.of(READ, DIRECT), null, c));
        if (!ops.supports(AioCapability.DIRECT_IO)) {
            assertThat(h).as(AioCompletionRecorder.describe(h)).isEqualTo(-AioErrno.EOPNOTSUPP);
            return;
        }
        if (h == -AioErrno.EINVAL && fileSystemRefusesDirectIo(file)) {
            // The documented result where the file system refuses O_DIRECT (tmpfs, some overlays).
            return;
        }
        assertThat(h).as(AioCompletionRecorder.describe(h)).isGreaterThanOrEqualTo(0);
        MemorySegment buf = arena.allocate(4096, 4096);
        assertThat(call(c -> ops.read(h, buf, 4096, null, c))).isEqualTo(4096);
        for (int i = 0; i < 4096; i++) {
            assertThat(buf.get(ValueLayout.JAVA_BYTE, i)).isEqualTo(content[4096 + i]);
        }
    }

    /** Whether the JDK, asked directly, cannot open the file with O_DIRECT either. */
    private static boolean fileSystemRefusesDirectIo(Path file) {
        try {
            Class<?> extended = Class.forName("com.sun.nio.file.ExtendedOpenOption");
            for (Object constant : extended.getEnumConstants()) {
                if (constant instanceof java.nio.file.OpenOption direct
                        && ((Enum<?>) constant).name().equals("DIRECT")) {
                    try (var channel = java.nio.channels.FileChannel.open(file,
                            java.nio.file.StandardOpenOption.READ, direct)) {
                        return !channel.isOpen();
                    } catch (IOException refused) {
                        return true;
                    }
                }
            }
            return false;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false;
        }
    }

    @Test
    @Timeout(60)
    void fsyncCompletesWithZero() {
        int h = open(tempDir.resolve("synced"), WRITE, CREATE);
        assertThat(call(c -> ops.write(h, bytes("durable"), 0, null, c))).isEqualTo(7);
        assertThat(call(c -> ops.fsync(h, null, c))).isZero();
    }

    @Test
    @Timeout(60)
    void openOfMissingFileGivesEnoent() {
        Path missing = tempDir.resolve("missing");
        assertThat(call(c -> ops.open(missing, Set.of(READ), null, c))).isEqualTo(-AioErrno.ENOENT);
    }

    @Test
    @Timeout(60)
    void createMakesTheFile() {
        Path file = tempDir.resolve("created");
        int h = open(file, WRITE, CREATE);
        assertThat(call(c -> ops.write(h, bytes("new"), 0, null, c))).isEqualTo(3);
        assertThat(call(c -> ops.close(h, null, c))).isZero();
        assertThat(file).hasContent("new");
    }

    @Test
    @Timeout(60)
    void createWithoutWriteStillCreatesAsOpenDoes() {
        Path file = tempDir.resolve("created-read-only");
        int h = open(file, READ, CREATE);
        assertThat(file).exists();
        assertThat(call(c -> ops.read(h, arena.allocate(4), 0, null, c))).isZero();
        assertThat(call(c -> ops.write(h, bytes("x"), 0, null, c))).isEqualTo(-AioErrno.EBADF);
    }

    @Test
    @Timeout(60)
    void createNewOnAnExistingFileGivesEexist() throws IOException {
        Path file = fileWith("exists");
        assertThat(call(c -> ops.open(file, EnumSet.of(WRITE, CREATE_NEW), null, c))).isEqualTo(-AioErrno.EEXIST);
        assertThat(file).hasContent("exists");
    }

    @Test
    @Timeout(60)
    void truncateEmptiesAnExistingFile() throws IOException {
        Path file = fileWith("some old content");
        int h = open(file, WRITE, TRUNCATE);
        assertThat(call(c -> ops.close(h, null, c))).isZero();
        assertThat(Files.size(file)).isZero();
    }

    @Test
    @Timeout(60)
    void appendWritesAtTheEndWhateverTheOffset() throws IOException {
        Path file = fileWith("head-");
        int h = open(file, WRITE, APPEND);
        assertThat(call(c -> ops.write(h, bytes("one-"), 0, null, c))).isEqualTo(4);
        assertThat(call(c -> ops.write(h, bytes("two"), AioOperations.STREAM, null, c))).isEqualTo(3);
        assertThat(call(c -> ops.close(h, null, c))).isZero();
        assertThat(file).hasContent("head-one-two");
    }

    @Test
    @Timeout(60)
    void writeOnReadOnlyHandleGivesEbadf() throws IOException {
        Path file = fileWith("read only");
        int h = open(file, READ);
        assertThat(call(c -> ops.write(h, bytes("x"), 0, null, c))).isEqualTo(-AioErrno.EBADF);
        assertThat(file).hasContent("read only");
    }

    @Test
    @Timeout(60)
    void openWithoutOptionsOpensForReadingOnly() throws IOException {
        Path file = fileWith("abc");
        int h = open(file);
        MemorySegment buf = arena.allocate(3);
        assertThat(call(c -> ops.read(h, buf, 0, null, c))).isEqualTo(3);
        assertThat(call(c -> ops.write(h, bytes("x"), 0, null, c))).isEqualTo(-AioErrno.EBADF);
    }

    @Test
    @Timeout(60)
    void streamOffsetUsesAndAdvancesTheFilePosition() {
        Path file = tempDir.resolve("stream");
        int w = open(file, WRITE, CREATE);
        assertThat(call(c -> ops.write(w, bytes("abc"), AioOperations.STREAM, null, c))).isEqualTo(3);
        assertThat(call(c -> ops.write(w, bytes("def"), AioOperations.STREAM, null, c))).isEqualTo(3);
        assertThat(call(c -> ops.close(w, null, c))).isZero();
        assertThat(file).hasContent("abcdef");
        int r = open(file, READ);
        MemorySegment buf = arena.allocate(3);
        assertThat(call(c -> ops.read(r, buf, AioOperations.STREAM, null, c))).isEqualTo(3);
        assertThat(text(buf, 3)).isEqualTo("abc");
        assertThat(call(c -> ops.read(r, buf, AioOperations.STREAM, null, c))).isEqualTo(3);
        assertThat(text(buf, 3)).isEqualTo("def");
        assertThat(call(c -> ops.read(r, buf, AioOperations.STREAM, null, c))).isZero();
    }

    @Test
    @Timeout(60)
    void manyPositionalReadsInFlightEachGetTheirOwnBytes() throws IOException {
        int blocks = 64;
        int block = 4096;
        Path file = tempDir.resolve("blocks");
        byte[] content = new byte[blocks * block];
        for (int i = 0; i < content.length; i++) {
            content[i] = patternByte(i, 7);
        }
        Files.write(file, content);
        int h = open(file);
        MemorySegment all = arena.allocate((long) blocks * block, 4096);
        AioCompletionTally tally = new AioCompletionTally(ops, blocks);
        for (int i = blocks - 1; i >= 0; i--) {
            ops.read(h, all.asSlice((long) i * block, block), (long) i * block, i, tally);
        }
        tally.await();
        assertThat(tally.duplicates()).isZero();
        for (int i = 0; i < blocks; i++) {
            assertThat(tally.result(i)).as("block %d", i).isEqualTo(block);
        }
        assertThat(all.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(content);
    }

    @Test
    @Timeout(60)
    void largeTransfersLoopOverShortOnesWithTheHelpers() {
        Path file = tempDir.resolve("large");
        int size = 3 * 1024 * 1024 + 123;
        MemorySegment out = pattern(size, 11);
        int h = open(file, READ, WRITE, CREATE);
        assertThat(call(c -> {
            dev.aioops.spi.AioTransfers.writeFully(ops, h, out, 0, null, c);
            return 1;
        })).isEqualTo(size);
        MemorySegment in = arena.allocate(size + 100L);
        assertThat(call(c -> {
            dev.aioops.spi.AioTransfers.readFully(ops, h, in, 0, null, c);
            return 1;
        })).isEqualTo(size);
        assertThat(in.asSlice(0, size).mismatch(out)).isEqualTo(-1L);
    }

    @Test
    @Timeout(60)
    void buffersOfAConfinedArenaWork() throws IOException {
        Path file = fileWith("confined arena");
        int h = open(file);
        try (Arena confined = Arena.ofConfined()) {
            MemorySegment buf = confined.allocate(8);
            assertThat(call(c -> ops.read(h, buf, 0, null, c))).isEqualTo(8);
            assertThat(text(buf, 8)).isEqualTo("confined");
        }
    }

    @Test
    @Timeout(60)
    void handlesMapToTheProcessDescriptorsExactlyWhereRawFdIsSupported() throws IOException {
        Path file = fileWith("raw");
        int h = open(file);
        if (ops.supports(AioCapability.RAW_FD)) {
            Path descriptor = Path.of("/proc/self/fd/" + ops.fileDescriptor(h));
            assertThat(Files.isSymbolicLink(descriptor)).as("%s exists", descriptor).isTrue();
            assertThat(Files.readSymbolicLink(descriptor)).isEqualTo(file.toRealPath());
        } else {
            // Table slots: the handle works through the instance, whatever descriptor number it may resemble.
            MemorySegment buf = arena.allocate(3);
            assertThat(call(c -> ops.read(h, buf, 0, null, c))).isEqualTo(3);
            assertThat(text(buf, 3)).isEqualTo("raw");
        }
    }

    @Test
    @Timeout(60)
    void readOfAClosedFileHandleGivesEbadf() throws IOException {
        int h = open(fileWith("x"));
        assertThat(call(c -> ops.close(h, null, c))).isZero();
        assertThat(call(c -> ops.read(h, arena.allocate(1), 0, null, c))).isEqualTo(-AioErrno.EBADF);
    }
}
