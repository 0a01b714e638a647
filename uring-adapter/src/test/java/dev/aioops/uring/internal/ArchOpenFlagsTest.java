package dev.aioops.uring.internal;

import dev.aioops.linux.internal.ArchOpenFlags;
import dev.aioops.linux.internal.OpenFlags;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.uring.ring.LibC;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The {@code open(2)} flags per architecture, against the kernel's headers (the expected numbers are copied from
 * {@code include/uapi/asm-generic/fcntl.h}, {@code arch/arm64/include/uapi/asm/fcntl.h} and
 * {@code arch/powerpc/include/uapi/asm/fcntl.h}), and the running architecture's against the running kernel.
 */
@Timeout(60)
class ArchOpenFlagsTest {

    @TempDir
    Path dir;

    private Arena arena;
    private Ring ring;

    @BeforeEach
    void setUp() {
        arena = Arena.ofConfined();
        ring = Ring.setup(8, 16, new int[]{0}, 0);
    }

    @AfterEach
    void tearDown() {
        ring.close();
        arena.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"amd64", "x86_64", "s390x", "riscv64"})
    void genericArchitecturesTakeAsmGenericValues(String arch) {
        ArchOpenFlags flags = ArchOpenFlags.forArch(arch).orElseThrow();
        assertThat(flags.oDirect()).isEqualTo(00040000);
        assertThat(flags.oLargefile()).isEqualTo(00100000);
        assertThat(flags.oDirectory()).isEqualTo(00200000);
        assertThat(flags.oNofollow()).isEqualTo(00400000);
    }

    @Test
    void aarch64TakesArm64Values() {
        ArchOpenFlags flags = ArchOpenFlags.forArch("aarch64").orElseThrow();
        assertThat(flags.oDirectory()).isEqualTo(040000);
        assertThat(flags.oNofollow()).isEqualTo(0100000);
        assertThat(flags.oDirect()).isEqualTo(0200000);
        assertThat(flags.oLargefile()).isEqualTo(0400000);
    }

    @Test
    void ppc64leTakesPowerpcValues() {
        ArchOpenFlags flags = ArchOpenFlags.forArch("ppc64le").orElseThrow();
        assertThat(flags.oDirectory()).isEqualTo(040000);
        assertThat(flags.oNofollow()).isEqualTo(0100000);
        assertThat(flags.oLargefile()).isEqualTo(0200000);
        assertThat(flags.oDirect()).isEqualTo(0400000);
    }

    @Test
    void onPpc64leDirectIsODirectAndNofollowIsONofollow() {
        ArchOpenFlags ppc = ArchOpenFlags.forArch("ppc64le").orElseThrow();
        int direct = OpenFlags.of(EnumSet.of(AioOpenOption.READ, AioOpenOption.DIRECT), ppc);
        int nofollow = OpenFlags.of(EnumSet.of(AioOpenOption.READ, AioOpenOption.NOFOLLOW), ppc);
        // The defect: x86's values on ppc64le made DIRECT O_DIRECTORY (040000) and NOFOLLOW O_DIRECT (0400000).
        assertThat(direct).isEqualTo(0400000 | 02000000);
        assertThat(nofollow).isEqualTo(0100000 | 02000000);
    }

    @Test
    void everyArchitectureSetsEachOptionToItsOwnBit() {
        for (String arch : new String[]{"amd64", "aarch64", "ppc64le", "s390x", "riscv64"}) {
            ArchOpenFlags a = ArchOpenFlags.forArch(arch).orElseThrow();
            int all = OpenFlags.of(EnumSet.complementOf(EnumSet.of(AioOpenOption.DIRECTORY)), a);
            assertThat(all & a.oDirect()).as(arch).isEqualTo(a.oDirect());
            assertThat(all & a.oNofollow()).as(arch).isEqualTo(a.oNofollow());
            assertThat(all & a.oDirectory()).as("%s: only DIRECTORY means O_DIRECTORY", arch).isZero();
            assertThat(OpenFlags.of(EnumSet.of(AioOpenOption.DIRECTORY), a) & a.oDirectory()).as(arch)
                    .isEqualTo(a.oDirectory());
            assertThat(Integer.bitCount(a.oDirect() | a.oDirectory() | a.oNofollow() | a.oLargefile()))
                    .as("%s: four distinct bits", arch).isEqualTo(4);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mips64el", "sparcv9", "arm", "x86", "ppc64", "loongarch64", ""})
    void anUnknownArchitectureIsRefusedWithAReason(String arch) {
        assertThat(ArchOpenFlags.forArch(arch)).isEmpty();
        UnsupportedOperationException why = ArchOpenFlags.unsupported(arch);
        assertThat(why).isNotNull();
        assertThat(why.getMessage()).contains("'" + arch + "'", "ppc64le");
        assertThat(UringAvailability.check("Linux", arch, "6.8.0", () -> {
            throw new AssertionError("no ring is set up on an unknown architecture");
        })).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("'" + arch + "'")
                .hasMessageContaining("io_uring is not available").hasMessageContaining("-Daioops.adapter=epoll");
    }

    @Test
    void theRunningArchitectureIsKnownAndItsFlagsAreUsed() {
        ArchOpenFlags running = ArchOpenFlags.running();
        assertThat(ArchOpenFlags.unsupported(System.getProperty("os.arch"))).isNull();
        assertThat(OpenFlags.of(EnumSet.of(AioOpenOption.DIRECT)) & running.oDirect()).isEqualTo(running.oDirect());
        assertThat(OpenFlags.of(EnumSet.of(AioOpenOption.NOFOLLOW)) & running.oNofollow())
                .isEqualTo(running.oNofollow());
    }

    // ---- the running architecture's values, as this kernel understands them

    @Test
    void oDirectoryOnARegularFileIsENOTDIR() throws Exception {
        Path file = Files.writeString(dir.resolve("f"), "x");
        int flags = OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC | ArchOpenFlags.running().oDirectory();
        assertThat(openat(file, flags)).isEqualTo(-AioErrno.ENOTDIR);
        int fd = openat(dir, flags);
        assertThat(fd).as("O_DIRECTORY on a directory").isNotNegative();
        LibC.close(fd);
    }

    @Test
    void nofollowOnASymbolicLinkIsELOOP() throws Exception {
        Path target = Files.writeString(dir.resolve("target"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThat(openat(link, OpenFlags.of(EnumSet.of(AioOpenOption.READ, AioOpenOption.NOFOLLOW))))
                .isEqualTo(-AioErrno.ELOOP);
        int fd = openat(link, OpenFlags.of(EnumSet.of(AioOpenOption.READ)));
        assertThat(fd).as("the same link followed").isNotNegative();
        LibC.close(fd);
    }

    @Test
    void directIsODirectNotODirectory() throws Exception {
        Path file = dir.resolve("d");
        Files.write(file, new byte[8192]);
        int fd = openat(file, OpenFlags.of(EnumSet.of(AioOpenOption.READ, AioOpenOption.DIRECT)));
        assertThat(fd).as("DIRECT must not be O_DIRECTORY").isNotEqualTo(-AioErrno.ENOTDIR);
        assumeThat(fd).as("this file system refuses O_DIRECT").isNotEqualTo(-AioErrno.EINVAL);
        assertThat(fd).isNotNegative();
        try {
            // O_DIRECT semantics: a read at an unaligned offset into an unaligned buffer is refused.
            MemorySegment buffer = arena.allocate(8192, 4096);
            long at = SqeSync.next(ring);
            SqeEncoder.read(ring.sqes(), at, fd, buffer.address() + 1, 511, 1, -1, 7);
            assertThat(SqeSync.submitAndWait(ring)).isEqualTo(-AioErrno.EINVAL);
            at = SqeSync.next(ring);
            SqeEncoder.read(ring.sqes(), at, fd, buffer.address(), 4096, 0, -1, 8);
            assertThat(SqeSync.submitAndWait(ring)).as("an aligned O_DIRECT read").isEqualTo(4096);
        } finally {
            LibC.close(fd);
        }
    }

    private int openat(Path path, int flags) {
        MemorySegment cPath = arena.allocateFrom(path.toString());
        long at = SqeSync.next(ring);
        SqeEncoder.openat(ring.sqes(), at, UringLayout.AT_FDCWD, cPath.address(), flags, 0, 9);
        return SqeSync.submitAndWait(ring);
    }
}
