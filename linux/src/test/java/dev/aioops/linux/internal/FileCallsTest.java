package dev.aioops.linux.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The system calls against the running kernel, in a temporary directory. */
class FileCallsTest {

    @TempDir
    Path dir;

    private static int open(int dirfd, String path, Set<AioOpenOption> options) {
        return FileCalls.openat2(dirfd, path, OpenFlags.of(options), OpenFlags.CREATE_MODE,
                OpenFlags.resolve(options));
    }

    @Test
    void writesReadsStatsAndCloses() throws Exception {
        int fd = open(FileCalls.AT_FDCWD, dir.resolve("f").toString(),
                EnumSet.of(AioOpenOption.READ, AioOpenOption.WRITE, AioOpenOption.CREATE));
        assertThat(fd).isNotNegative();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocateFrom("hello", StandardCharsets.US_ASCII).asSlice(0, 5);
            assertThat(FileCalls.pwrite(fd, data, 10)).isEqualTo(5);
            MemorySegment back = arena.allocate(5);
            assertThat(FileCalls.pread(fd, back, 10)).isEqualTo(5);
            assertThat(back.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo("hello".getBytes());
            AioStat stat = AioStat.allocate(arena);
            assertThat(FileCalls.statx(fd, "", FileCalls.AT_EMPTY_PATH, stat.struct())).isZero();
            assertThat(stat.size()).isEqualTo(15);
            assertThat(FileCalls.ftruncate(fd, 3)).isZero();
            assertThat(FileCalls.fallocate(fd, 0, 0, 8192)).isIn(0, -AioErrno.EOPNOTSUPP);
            assertThat(FileCalls.sync(fd, true)).isZero();
            assertThat(FileCalls.sync(fd, false)).isZero();
        }
        assertThat(FileCalls.close(fd)).isZero();
        assertThat(FileCalls.close(fd)).isEqualTo(-AioErrno.EBADF);
    }

    @Test
    void directoryRelativeCallsAndConfinement() throws Exception {
        Files.createDirectory(dir.resolve("root"));
        Files.writeString(dir.resolve("secret"), "s");
        int root = open(FileCalls.AT_FDCWD, dir.resolve("root").toString(), EnumSet.of(AioOpenOption.DIRECTORY));
        assertThat(root).isNotNegative();
        assertThat(FileCalls.mkdirat(root, "sub", 0700)).isZero();
        assertThat(FileCalls.mkdirat(root, "sub", 0700)).isEqualTo(-AioErrno.EEXIST);
        int f = open(root, "sub/file", EnumSet.of(AioOpenOption.WRITE, AioOpenOption.CREATE, AioOpenOption.BENEATH));
        assertThat(f).isNotNegative();
        FileCalls.close(f);
        assertThat(open(root, "../secret", EnumSet.of(AioOpenOption.BENEATH))).isEqualTo(-AioErrno.EXDEV);
        assertThat(open(root, dir.resolve("secret").toString(), EnumSet.of(AioOpenOption.BENEATH)))
                .isEqualTo(-AioErrno.EXDEV);
        assertThat(FileCalls.renameat(root, "sub/file", root, "moved")).isZero();
        assertThat(dir.resolve("root/moved")).exists();
        assertThat(FileCalls.unlinkat(root, "moved", 0)).isZero();
        assertThat(FileCalls.unlinkat(root, "sub", 0)).isEqualTo(-AioErrno.EISDIR);
        assertThat(FileCalls.unlinkat(root, "sub", FileCalls.AT_REMOVEDIR)).isZero();
        assertThat(FileCalls.openat(root, "missing", OpenFlags.O_RDONLY, 0)).isEqualTo(-AioErrno.ENOENT);
        FileCalls.close(root);
    }
}
