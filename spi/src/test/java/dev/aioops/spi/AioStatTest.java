package dev.aioops.spi;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Decodes a {@code struct statx} that the real {@code statx(2)} filled, against the JDK's "unix" view. */
class AioStatTest {

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int STATX_BASIC_STATS = 0x7ff;

    @TempDir
    Path dir;

    @SuppressWarnings("restricted") // the test calls statx(2) itself, to check the decoding against the kernel
    private static void statx(Path path, AioStat into) throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle statx = linker.downcallHandle(linker.defaultLookup().find("statx").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) statx.invokeExact(AT_FDCWD, arena.allocateFrom(path.toString()), AT_SYMLINK_NOFOLLOW,
                    STATX_BASIC_STATS, into.struct());
            assertThat(rc).isZero();
        }
    }

    @Test
    void every_field_means_what_the_jdk_unix_view_says() throws Throwable {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "statx(2) is Linux's");
        Path file = Files.write(dir.resolve("f"), new byte[12345]);
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_123L));
        Files.createLink(dir.resolve("g"), file);
        try (Arena arena = Arena.ofConfined()) {
            AioStat stat = AioStat.allocate(arena);
            statx(file, stat);
            Map<String, Object> unix = Files.readAttributes(file, "unix:*");

            assertThat(stat.size()).isEqualTo(12345);
            assertThat(stat.type()).isEqualTo(AioStat.FileType.REGULAR);
            assertThat(stat.isRegularFile()).isTrue();
            assertThat(stat.mode()).isEqualTo(unix.get("mode"));
            assertThat(stat.inode()).isEqualTo(unix.get("ino"));
            assertThat(stat.device()).isEqualTo(unix.get("dev"));
            assertThat(stat.links()).isEqualTo(2);
            assertThat(stat.uid()).isEqualTo(unix.get("uid"));
            assertThat(stat.gid()).isEqualTo(unix.get("gid"));
            assertThat(stat.modifiedSeconds()).isEqualTo(1_700_000_000L);
            assertThat(stat.modifiedNanos()).isEqualTo(123_000_000);
            assertThat(stat.lastModified()).isEqualTo(((FileTime) unix.get("lastModifiedTime")).toInstant());
            FileTime ctime = (FileTime) unix.get("ctime");
            assertThat(stat.changedSeconds() * 1_000_000_000L + stat.changedNanos())
                    .isEqualTo(ctime.to(java.util.concurrent.TimeUnit.NANOSECONDS));
            assertThat(stat.toString()).contains("REGULAR").contains("size=12345");
        }
    }

    @Test
    void types_of_directories_and_links_are_told_apart() throws Throwable {
        assumeTrue(System.getProperty("os.name").equals("Linux"), "statx(2) is Linux's");
        Path link = Files.createSymbolicLink(dir.resolve("link"), dir);
        try (Arena arena = Arena.ofConfined()) {
            AioStat stat = AioStat.allocate(arena);
            statx(dir, stat);
            assertThat(stat.isDirectory()).isTrue();
            assertThat(stat.permissions()).isEqualTo(stat.mode() & 07777);
            statx(link, stat);
            assertThat(stat.type()).isEqualTo(AioStat.FileType.SYMBOLIC_LINK);
            statx(Path.of("/dev/null"), stat);
            assertThat(stat.type()).isEqualTo(AioStat.FileType.CHARACTER_DEVICE);
        }
    }
}
