package dev.aioops.linux.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The channel of a zero-copy send: the same file as the descriptor, and the descriptor's own access and type. */
@Timeout(30)
class TransferChannelsTest {

    private static final int O_RDONLY_NONBLOCK = 04000;

    @TempDir
    Path dir;

    private static int open(Path path, Set<AioOpenOption> options) {
        int fd = FileCalls.openat2(FileCalls.AT_FDCWD, path.toString(), OpenFlags.of(options), OpenFlags.CREATE_MODE,
                0);
        assertThat(fd).isNotNegative();
        return fd;
    }

    @Test
    void aChannelReadsTheDescriptorsFileAlsoOnceItIsUnlinked() throws Exception {
        Path path = dir.resolve("f");
        Files.writeString(path, "0123456789");
        int fd = open(path, EnumSet.of(AioOpenOption.READ));
        try {
            Files.delete(path);
            try (FileChannel channel = TransferChannels.open(fd)) {
                ByteBuffer b = ByteBuffer.allocate(4);
                assertThat(channel.read(b, 3)).isEqualTo(4);
                assertThat(new String(b.array(), StandardCharsets.US_ASCII)).isEqualTo("3456");
                assertThat(channel.size()).isEqualTo(10);
            }
        } finally {
            FileCalls.close(fd);
        }
    }

    @Test
    void aDescriptorNotOpenForReadingIsEbadf() throws Exception {
        Path path = dir.resolve("w");
        Files.writeString(path, "x");
        int fd = open(path, EnumSet.of(AioOpenOption.WRITE));
        try {
            assertThatThrownBy(() -> TransferChannels.open(fd)).isInstanceOfSatisfying(AioException.class,
                    e -> assertThat(e.errno()).isEqualTo(AioErrno.EBADF));
        } finally {
            FileCalls.close(fd);
        }
    }

    @Test
    void aDirectoryIsEinvalAndAFifoEspipe() throws Exception {
        int directory = open(dir, EnumSet.of(AioOpenOption.DIRECTORY));
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        // Non-blocking: an open of a FIFO for reading would otherwise wait for a writer.
        int pipe = FileCalls.openat(FileCalls.AT_FDCWD, fifo.toString(), O_RDONLY_NONBLOCK, 0);
        assertThat(pipe).isNotNegative();
        try {
            assertThatThrownBy(() -> TransferChannels.open(directory)).isInstanceOfSatisfying(AioException.class,
                    e -> assertThat(e.errno()).isEqualTo(AioErrno.EINVAL));
            assertThatThrownBy(() -> TransferChannels.open(pipe)).isInstanceOfSatisfying(AioException.class,
                    e -> assertThat(e.errno()).isEqualTo(AioErrno.ESPIPE));
        } finally {
            FileCalls.close(directory);
            FileCalls.close(pipe);
        }
    }

    @Test
    void aClosedDescriptorIsEbadf() {
        int fd = open(dir, EnumSet.of(AioOpenOption.DIRECTORY));
        FileCalls.close(fd);
        assertThatThrownBy(() -> TransferChannels.open(fd)).isInstanceOfSatisfying(AioException.class,
                e -> assertThat(e.errno()).isEqualTo(AioErrno.EBADF));
    }
}
