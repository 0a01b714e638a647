package dev.aioops.tck;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioFileOperations;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static dev.aioops.spi.AioFileOperations.WORKING_DIRECTORY;
import static dev.aioops.spi.AioOpenOption.BENEATH;
import static dev.aioops.spi.AioOpenOption.DIRECTORY;
import static dev.aioops.spi.AioOpenOption.NO_SYMLINKS;
import static dev.aioops.spi.AioOpenOption.READ;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opens confined beneath a directory handle ({@link AioOpenOption#BENEATH}, {@link AioOpenOption#NO_SYMLINKS}):
 * every way out is refused by the kernel with {@code -EXDEV}, a link that stays inside is followed, and a directory
 * swapped for a link to outside while opens run never lets one escape. An adapter without
 * {@link AioCapability#CONFINED_OPEN} must complete each such open with {@code -EOPNOTSUPP}.
 */
public abstract class ConfinedOpenContract extends AioContract {

    /** For subclasses. */
    protected ConfinedOpenContract() {
    }

    private Path root;
    private Path outside;
    private int rootHandle;

    private int openAt(int directory, Path path, AioOpenOption... options) {
        Set<AioOpenOption> set = EnumSet.of(options[0], options);
        return call(c -> ops.openAt(directory, path, set, null, c));
    }

    /** The served root with {@code inside.txt}, a sibling file outside it, and a directory handle of the root. */
    private void serve() throws IOException {
        root = Files.createDirectory(tempDir.resolve("root"));
        Files.writeString(root.resolve("inside.txt"), "inside");
        outside = Files.writeString(tempDir.resolve("secret.txt"), "secret");
        rootHandle = call(c -> ops.openAt(WORKING_DIRECTORY, root, EnumSet.of(DIRECTORY), null, c));
        assertThat(rootHandle).as("open the root: %s", AioCompletionRecorder.describe(rootHandle)).isNotNegative();
    }

    /** Asserts the result of a confined open: {@code expected}, or {@code -EOPNOTSUPP} without the capability. */
    private void assertConfined(int result, int expected) {
        if (ops.supports(AioCapability.CONFINED_OPEN)) {
            assertThat(result).as(AioCompletionRecorder.describe(result)).isEqualTo(expected);
        } else {
            assertThat(result).as("no CONFINED_OPEN: " + AioCompletionRecorder.describe(result))
                    .isEqualTo(-AioErrno.EOPNOTSUPP);
        }
    }

    @Test
    @Timeout(60)
    void aPathInsideOpens() throws IOException {
        serve();
        int result = openAt(rootHandle, Path.of("inside.txt"), READ, BENEATH);
        if (result >= 0) {
            MemorySegment buf = arena.allocate(16);
            assertThat(call(c -> ops.read(result, buf, 0, null, c))).isEqualTo(6);
            assertThat(text(buf, 6)).isEqualTo("inside");
        }
        assertConfined(result >= 0 ? 0 : result, 0);
    }

    @Test
    @Timeout(60)
    void dotDotAboveTheRootIsExdev() throws IOException {
        serve();
        Files.createDirectory(root.resolve("sub"));
        assertConfined(openAt(rootHandle, Path.of("../secret.txt"), READ, BENEATH), -AioErrno.EXDEV);
        assertConfined(openAt(rootHandle, Path.of("sub/../../secret.txt"), READ, BENEATH), -AioErrno.EXDEV);
    }

    @Test
    @Timeout(60)
    void anAbsolutePathIsExdev() throws IOException {
        serve();
        assertConfined(openAt(rootHandle, outside, READ, BENEATH), -AioErrno.EXDEV);
        assertConfined(openAt(rootHandle, root.resolve("inside.txt"), READ, BENEATH), -AioErrno.EXDEV);
    }

    @Test
    @Timeout(60)
    void aSymbolicLinkToOutsideIsExdev() throws IOException {
        serve();
        Files.createSymbolicLink(root.resolve("escape"), outside);
        Files.createSymbolicLink(root.resolve("up"), Path.of(".."));
        assertConfined(openAt(rootHandle, Path.of("escape"), READ, BENEATH), -AioErrno.EXDEV);
        assertConfined(openAt(rootHandle, Path.of("up/secret.txt"), READ, BENEATH), -AioErrno.EXDEV);
    }

    @Test
    @Timeout(60)
    void aMagicLinkIsExdev() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "no /proc here");
        serve();
        int procFds = call(c -> ops.openAt(WORKING_DIRECTORY, fds, EnumSet.of(DIRECTORY), null, c));
        assertThat(procFds).isNotNegative();
        // Descriptor 0 is a magic link under /proc/self/fd, whatever standard input is.
        assertConfined(openAt(procFds, Path.of("0"), READ, BENEATH), -AioErrno.EXDEV);
        Files.createSymbolicLink(root.resolve("magic"), Path.of("/proc/self/cwd"));
        assertConfined(openAt(rootHandle, Path.of("magic"), READ, BENEATH), -AioErrno.EXDEV);
    }

    @Test
    @Timeout(60)
    void aSymbolicLinkThatStaysInsideIsFollowedUnlessNoLinksAreAllowed() throws IOException {
        serve();
        Files.createDirectory(root.resolve("sub"));
        Files.createSymbolicLink(root.resolve("sub/alias"), Path.of("../inside.txt"));
        int followed = openAt(rootHandle, Path.of("sub/alias"), READ, BENEATH);
        assertConfined(followed >= 0 ? 0 : followed, 0);
        assertConfined(openAt(rootHandle, Path.of("sub/alias"), READ, BENEATH, NO_SYMLINKS), -AioErrno.ELOOP);
        assertConfined(openAt(rootHandle, Path.of("sub/alias"), READ, NO_SYMLINKS), -AioErrno.ELOOP);
    }

    /**
     * Another thread swaps {@code root/sub} between a real directory and a symbolic link to the directory outside,
     * thousands of times, while confined opens of {@code sub/secret.txt} run: an open may find the file inside or
     * be refused, but it never opens the one outside (told apart by inode).
     */
    @Test
    @Timeout(120)
    void aDirectorySwappedForALinkToOutsideNeverLetsAnOpenEscape() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ops.supports(AioCapability.CONFINED_OPEN),
                "no CONFINED_OPEN: the other cases assert -EOPNOTSUPP");
        serve();
        Path away = Files.createDirectory(tempDir.resolve("away"));
        Files.writeString(away.resolve("secret.txt"), "secret");
        Path sub = Files.createDirectory(root.resolve("sub"));
        Files.writeString(sub.resolve("secret.txt"), "public");
        Path parked = tempDir.resolve("parked");

        AioStat stat = AioStat.allocate(arena);
        assertThat(call(c -> ops.stat(WORKING_DIRECTORY, away.resolve("secret.txt"), true, stat, null, c))).isZero();
        long outsideInode = stat.inode();

        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> swapFailure = new AtomicReference<>();
        Thread swapper = new Thread(() -> {
            try {
                while (!stop.get()) {
                    Files.move(sub, parked);
                    Files.createSymbolicLink(sub, away);
                    Thread.onSpinWait();
                    Files.delete(sub);
                    Files.move(parked, sub);
                }
            } catch (Throwable t) {
                swapFailure.set(t);
            }
        }, "confined-open-swapper");
        swapper.start();
        int opened = 0;
        int refused = 0;
        try {
            for (int i = 0; i < 3_000; i++) {
                int h = openAt(rootHandle, Path.of("sub/secret.txt"), READ, BENEATH);
                if (h < 0) {
                    assertThat(h).as(AioCompletionRecorder.describe(h)).isIn(-AioErrno.EXDEV, -AioErrno.ENOENT);
                    refused++;
                    continue;
                }
                opened++;
                assertThat(call(c -> ops.fstat(h, stat, null, c))).isZero();
                assertThat(stat.inode()).as("open %d escaped to the file outside the root", i)
                        .isNotEqualTo(outsideInode);
                assertThat(call(c -> ops.close(h, null, c))).isZero();
            }
        } finally {
            stop.set(true);
            swapper.join();
        }
        assertThat(swapFailure.get()).isNull();
        assertThat(opened).as("some opens found the file inside").isPositive();
        assertThat(refused).as("some opens met the link to outside").isPositive();
    }

    @Test
    @Timeout(60)
    void theWorkingDirectoryCanBeTheRootToo() throws IOException {
        serve();
        assertConfined(openAt(AioFileOperations.WORKING_DIRECTORY, Path.of("/etc/hostname"), READ, BENEATH),
                -AioErrno.EXDEV);
    }
}
