package dev.aioops.tck;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioFileOperations;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.aioops.spi.AioFileOperations.WORKING_DIRECTORY;
import static dev.aioops.spi.AioOpenOption.CREATE;
import static dev.aioops.spi.AioOpenOption.DIRECTORY;
import static dev.aioops.spi.AioOpenOption.READ;
import static dev.aioops.spi.AioOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The file-system operations of {@link AioFileOperations}: stat and fstat, fdatasync, ftruncate, fallocate,
 * unlink, rename, mkdir, and directory handles as the base of relative paths. Confinement is
 * {@link ConfinedOpenContract}'s.
 */
public abstract class FileSystemContract extends AioContract {

    /** For subclasses. */
    protected FileSystemContract() {
    }

    /**
     * Opens a path relative to a directory handle and asserts that it worked.
     *
     * @param directory a directory handle or {@link AioFileOperations#WORKING_DIRECTORY}
     * @param path      the path
     * @param options   the options
     * @return the handle
     */
    protected int openAt(int directory, Path path, AioOpenOption... options) {
        int handle = openAtResult(directory, path, options);
        assertThat(handle).as("openAt %s: %s", path, AioCompletionRecorder.describe(handle)).isNotNegative();
        return handle;
    }

    /**
     * Opens a path relative to a directory handle.
     *
     * @param directory a directory handle or {@link AioFileOperations#WORKING_DIRECTORY}
     * @param path      the path
     * @param options   the options
     * @return the handle or {@code -errno}
     */
    protected int openAtResult(int directory, Path path, AioOpenOption... options) {
        Set<AioOpenOption> set = options.length == 0 ? Set.of() : EnumSet.of(options[0], options);
        return call(c -> ops.openAt(directory, path, set, null, c));
    }

    private int stat(int directory, Path path, boolean follow, AioStat into) {
        return call(c -> ops.stat(directory, path, follow, into, null, c));
    }

    private AioStat statOf(Path path) {
        AioStat stat = AioStat.allocate(arena);
        assertThat(stat(WORKING_DIRECTORY, path, true, stat)).as("stat %s", path).isZero();
        return stat;
    }

    // ------------------------------------------------------------------------------------------------- stat

    @Test
    @Timeout(60)
    void statGivesWhatTheKernelKnowsToTheNanosecond() throws IOException {
        Path file = Files.write(tempDir.resolve("f"), new byte[4321]);
        Files.setLastModifiedTime(file, FileTime.from(1_700_000_000_123_456_789L, TimeUnit.NANOSECONDS));
        Files.createLink(tempDir.resolve("second-name"), file);
        AioStat stat = statOf(file);
        Map<String, Object> unix = Files.readAttributes(file, "unix:*");

        assertThat(stat.size()).isEqualTo(4321);
        assertThat(stat.type()).isEqualTo(AioStat.FileType.REGULAR);
        assertThat(stat.mode()).isEqualTo(unix.get("mode"));
        assertThat(stat.inode()).isEqualTo(unix.get("ino"));
        assertThat(stat.device()).isEqualTo(unix.get("dev"));
        assertThat(stat.links()).isEqualTo(2);
        assertThat(stat.modifiedSeconds()).isEqualTo(1_700_000_000L);
        assertThat(stat.modifiedNanos()).isEqualTo(123_456_789);
        FileTime ctime = (FileTime) unix.get("ctime");
        assertThat(stat.changedSeconds() * 1_000_000_000L + stat.changedNanos())
                .isEqualTo(ctime.to(TimeUnit.NANOSECONDS));
    }

    @Test
    @Timeout(60)
    void statOfADirectorySaysSo() {
        assertThat(statOf(tempDir).type()).isEqualTo(AioStat.FileType.DIRECTORY);
    }

    @Test
    @Timeout(60)
    void statOfAMissingPathIsEnoentAndThroughAFileIsEnotdir() throws IOException {
        AioStat stat = AioStat.allocate(arena);
        assertThat(stat(WORKING_DIRECTORY, tempDir.resolve("missing"), true, stat)).isEqualTo(-AioErrno.ENOENT);
        Path file = Files.writeString(tempDir.resolve("file"), "x");
        assertThat(stat(WORKING_DIRECTORY, file.resolve("below"), true, stat)).isEqualTo(-AioErrno.ENOTDIR);
    }

    @Test
    @Timeout(60)
    void statFollowsALinkOnlyWhenAsked() throws IOException {
        Path target = Files.writeString(tempDir.resolve("target"), "12345");
        Path link = Files.createSymbolicLink(tempDir.resolve("link"), target);
        AioStat stat = AioStat.allocate(arena);
        assertThat(stat(WORKING_DIRECTORY, link, true, stat)).isZero();
        assertThat(stat.type()).isEqualTo(AioStat.FileType.REGULAR);
        assertThat(stat.size()).isEqualTo(5);
        assertThat(stat(WORKING_DIRECTORY, link, false, stat)).isZero();
        assertThat(stat.type()).isEqualTo(AioStat.FileType.SYMBOLIC_LINK);
    }

    @Test
    @Timeout(60)
    void fstatSeesWritesThroughTheHandle() {
        int h = open(tempDir.resolve("grows"), READ, WRITE, CREATE);
        assertThat(call(c -> ops.write(h, bytes("0123456789"), 0, null, c))).isEqualTo(10);
        AioStat stat = AioStat.allocate(arena);
        assertThat(call(c -> ops.fstat(h, stat, null, c))).isZero();
        assertThat(stat.size()).isEqualTo(10);
        assertThat(stat.isRegularFile()).isTrue();
        assertThat(stat.inode()).isEqualTo(statOf(tempDir.resolve("grows")).inode());
    }

    @Test
    @Timeout(60)
    void fstatOfAnUnknownHandleOrASocketIsEbadf() {
        AioStat stat = AioStat.allocate(arena);
        assertThat(call(c -> ops.fstat(1_000_000, stat, null, c))).isEqualTo(-AioErrno.EBADF);
        int listener = listen();
        assertThat(call(c -> ops.fstat(listener, stat, null, c))).isEqualTo(-AioErrno.EBADF);
        int counter = eventfd(0);
        assertThat(call(c -> ops.fstat(counter, stat, null, c))).isEqualTo(-AioErrno.EBADF);
    }

    @Test
    @Timeout(60)
    void aStatIntoAClosedArenaThrows() {
        Arena closed = Arena.ofShared();
        AioStat stat = AioStat.allocate(closed);
        closed.close();
        assertThatThrownBy(() -> ops.stat(WORKING_DIRECTORY, tempDir, true, stat, null, (r, a) -> { }))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> ops.fstat(0, stat, null, (r, a) -> { }))
                .isInstanceOf(IllegalStateException.class);
    }

    // --------------------------------------------------------------------- fdatasync, ftruncate, fallocate

    @Test
    @Timeout(60)
    void fdatasyncOfAWrittenFileSucceeds() {
        int h = open(tempDir.resolve("synced"), WRITE, CREATE);
        assertThat(call(c -> ops.write(h, bytes("data"), 0, null, c))).isEqualTo(4);
        assertThat(call(c -> ops.fdatasync(h, null, c))).isZero();
        assertThat(call(c -> ops.fdatasync(1_000_000, null, c))).isEqualTo(-AioErrno.EBADF);
    }

    @Test
    @Timeout(60)
    void ftruncateCutsAndExtendsWithZeros() throws IOException {
        Path file = Files.writeString(tempDir.resolve("cut"), "0123456789");
        int h = open(file, READ, WRITE);
        assertThat(call(c -> ops.ftruncate(h, 4, null, c))).isZero();
        assertThat(Files.readString(file)).isEqualTo("0123");
        assertThat(call(c -> ops.ftruncate(h, 8, null, c))).isZero();
        assertThat(Files.readAllBytes(file)).containsExactly('0', '1', '2', '3', 0, 0, 0, 0);
    }

    @Test
    @Timeout(60)
    void ftruncateOfAReadOnlyHandleIsEinvalAndANegativeLengthThrows() throws IOException {
        int h = open(Files.writeString(tempDir.resolve("ro"), "abc"), READ);
        assertThat(call(c -> ops.ftruncate(h, 1, null, c))).isEqualTo(-AioErrno.EINVAL);
        assertThatThrownBy(() -> ops.ftruncate(h, -1, null, (r, a) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @Timeout(60)
    void fallocateReservesBlocksAndExtendsTheSize() {
        int h = open(tempDir.resolve("reserved"), READ, WRITE, CREATE);
        int result = call(c -> ops.fallocate(h, 0, 1 << 20, null, c));
        assumeTrue(result != -AioErrno.EOPNOTSUPP, "the file system of the temporary directory cannot preallocate");
        assertThat(result).isZero();
        AioStat stat = AioStat.allocate(arena);
        assertThat(call(c -> ops.fstat(h, stat, null, c))).isZero();
        assertThat(stat.size()).isEqualTo(1 << 20);
        assertThat(stat.blocks() * 512).isGreaterThanOrEqualTo(1 << 20);
    }

    @Test
    @Timeout(60)
    void fallocateRefusesEmptyOrNegativeRangesAndReadOnlyHandles() throws IOException {
        int h = open(Files.writeString(tempDir.resolve("ro"), "abc"), READ);
        assertThatThrownBy(() -> ops.fallocate(h, 0, 0, null, (r, a) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.fallocate(h, -1, 10, null, (r, a) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(call(c -> ops.fallocate(h, 0, 10, null, c))).isEqualTo(-AioErrno.EBADF);
    }

    // ----------------------------------------------------------------------------- unlink, rename, mkdir

    @Test
    @Timeout(60)
    void unlinkRemovesANameOnce() throws IOException {
        Path file = Files.writeString(tempDir.resolve("gone"), "x");
        assertThat(call(c -> ops.unlink(WORKING_DIRECTORY, file, false, null, c))).isZero();
        assertThat(file).doesNotExist();
        assertThat(call(c -> ops.unlink(WORKING_DIRECTORY, file, false, null, c))).isEqualTo(-AioErrno.ENOENT);
    }

    @Test
    @Timeout(60)
    void unlinkTellsDirectoriesFromFiles() throws IOException {
        Path dir = Files.createDirectory(tempDir.resolve("d"));
        Files.writeString(dir.resolve("inside"), "x");
        assertThat(call(c -> ops.unlink(WORKING_DIRECTORY, dir, false, null, c))).isEqualTo(-AioErrno.EISDIR);
        assertThat(call(c -> ops.unlink(WORKING_DIRECTORY, dir, true, null, c))).isEqualTo(-AioErrno.ENOTEMPTY);
        assertThat(call(c -> ops.unlink(WORKING_DIRECTORY, dir.resolve("inside"), true, null, c)))
                .isEqualTo(-AioErrno.ENOTDIR);
        Files.delete(dir.resolve("inside"));
        assertThat(call(c -> ops.unlink(WORKING_DIRECTORY, dir, true, null, c))).isZero();
        assertThat(dir).doesNotExist();
    }

    @Test
    @Timeout(60)
    void renameReplacesTheTarget() throws IOException {
        Path from = Files.writeString(tempDir.resolve("new"), "new");
        Path to = Files.writeString(tempDir.resolve("old"), "old");
        assertThat(call(c -> ops.rename(WORKING_DIRECTORY, from, WORKING_DIRECTORY, to, null, c))).isZero();
        assertThat(from).doesNotExist();
        assertThat(Files.readString(to)).isEqualTo("new");
        assertThat(call(c -> ops.rename(WORKING_DIRECTORY, from, WORKING_DIRECTORY, to, null, c)))
                .isEqualTo(-AioErrno.ENOENT);
    }

    @Test
    @Timeout(60)
    void renameBetweenTwoDirectoryHandles() throws IOException {
        Path a = Files.createDirectory(tempDir.resolve("a"));
        Path b = Files.createDirectory(tempDir.resolve("b"));
        Files.writeString(a.resolve("file"), "moved");
        int da = openAt(WORKING_DIRECTORY, a, DIRECTORY);
        int db = openAt(WORKING_DIRECTORY, b, DIRECTORY);
        assertThat(call(c -> ops.rename(da, Path.of("file"), db, Path.of("here"), null, c))).isZero();
        assertThat(Files.readString(b.resolve("here"))).isEqualTo("moved");
    }

    @Test
    @Timeout(60)
    void mkdirCreatesWithTheModeLessTheUmaskOnce() throws IOException {
        Path dir = tempDir.resolve("made");
        assertThat(call(c -> ops.mkdir(WORKING_DIRECTORY, dir, 0700, null, c))).isZero();
        assertThat(Files.isDirectory(dir)).isTrue();
        assertThat(Files.getPosixFilePermissions(dir)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(call(c -> ops.mkdir(WORKING_DIRECTORY, dir, 0700, null, c))).isEqualTo(-AioErrno.EEXIST);
        assertThat(call(c -> ops.mkdir(WORKING_DIRECTORY, tempDir.resolve("no/parent"), 0700, null, c)))
                .isEqualTo(-AioErrno.ENOENT);
        assertThatThrownBy(() -> ops.mkdir(WORKING_DIRECTORY, dir, 010000, null, (r, a) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // -------------------------------------------------------------------------------- directory handles

    @Test
    @Timeout(60)
    void aDirectoryHandleIsTheBaseOfRelativePaths() throws IOException {
        Path dir = Files.createDirectory(tempDir.resolve("base"));
        Files.writeString(dir.resolve("inside.txt"), "inside");
        int d = openAt(WORKING_DIRECTORY, dir, DIRECTORY);

        int f = openAt(d, Path.of("inside.txt"), READ);
        var buf = arena.allocate(16);
        assertThat(call(c -> ops.read(f, buf, 0, null, c))).isEqualTo(6);
        assertThat(text(buf, 6)).isEqualTo("inside");
        AioStat stat = AioStat.allocate(arena);
        assertThat(stat(d, Path.of("inside.txt"), true, stat)).isZero();
        assertThat(stat.size()).isEqualTo(6);
        assertThat(call(c -> ops.fstat(d, stat, null, c))).isZero();
        assertThat(stat.isDirectory()).isTrue();
        assertThat(call(c -> ops.mkdir(d, Path.of("sub"), 0755, null, c))).isZero();
        assertThat(dir.resolve("sub")).isDirectory();
        assertThat(call(c -> ops.unlink(d, Path.of("inside.txt"), false, null, c))).isZero();
        assertThat(dir.resolve("inside.txt")).doesNotExist();
    }

    @Test
    @Timeout(60)
    void aDirectoryHandleIsNotAFileAndAFileIsNotADirectory() throws IOException {
        Path file = Files.writeString(tempDir.resolve("plain"), "x");
        assertThat(openAtResult(WORKING_DIRECTORY, file, DIRECTORY)).isEqualTo(-AioErrno.ENOTDIR);
        int d = openAt(WORKING_DIRECTORY, tempDir, DIRECTORY);
        assertThat(call(c -> ops.read(d, arena.allocate(8), 0, null, c))).isEqualTo(-AioErrno.EISDIR);
        int f = open(file, READ);
        assertThat(openAtResult(f, Path.of("x"), READ)).isEqualTo(-AioErrno.ENOTDIR);
        assertThat(openAtResult(1_000_000, Path.of("x"), READ)).isEqualTo(-AioErrno.EBADF);
    }

    @Test
    @Timeout(60)
    void aDirectoryCannotBeOpenedToWriteOrCreate() {
        for (AioOpenOption writing : EnumSet.of(WRITE, CREATE, AioOpenOption.CREATE_NEW, AioOpenOption.TRUNCATE,
                AioOpenOption.APPEND, AioOpenOption.DIRECT)) {
            assertThatThrownBy(() -> ops.openAt(WORKING_DIRECTORY, tempDir, EnumSet.of(DIRECTORY, writing), null,
                    (r, a) -> { })).as("%s", writing).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("DIRECTORY");
        }
    }

    @Test
    @Timeout(60)
    void nullArgumentsThrow() {
        assertThatThrownBy(() -> ops.openAt(WORKING_DIRECTORY, null, Set.of(), null, (r, a) -> { }))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.stat(WORKING_DIRECTORY, tempDir, true, null, null, (r, a) -> { }))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.rename(WORKING_DIRECTORY, tempDir, WORKING_DIRECTORY, null, null,
                (r, a) -> { })).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.fdatasync(0, null, null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    @Timeout(60)
    void closingADirectoryHandleMakesItUnknown() {
        int d = openAt(WORKING_DIRECTORY, tempDir, DIRECTORY);
        assertThat(call(c -> ops.close(d, null, c))).isZero();
        assertThat(openAtResult(d, Path.of("x"), READ)).isEqualTo(-AioErrno.EBADF);
    }
}
