package dev.aioops.spi.internal;

import dev.aioops.spi.AioErrno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** Maps the exceptions that real JDK calls throw, not hand-made ones, wherever the machine can produce them. */
class ErrnoMappingTest {

    @TempDir
    Path dir;

    @Test
    void missingFileIsEnoent() {
        Throwable t = catchThrowable(() -> FileChannel.open(dir.resolve("missing")));

        assertThat(ErrnoMapping.result(t)).isEqualTo(-AioErrno.ENOENT);
    }

    @Test
    void existingFileWithCreateNewIsEexist() throws IOException {
        Path file = Files.createFile(dir.resolve("present"));

        Throwable t = catchThrowable(() -> FileChannel.open(file, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE));

        assertThat(ErrnoMapping.errno(t)).isEqualTo(AioErrno.EEXIST);
    }

    @Test
    void directoryIsEisdir() {
        Throwable t = catchThrowable(() -> FileChannel.open(dir, StandardOpenOption.WRITE));

        assertThat(ErrnoMapping.errno(t)).isEqualTo(AioErrno.EISDIR);
    }

    @Test
    @Timeout(30)
    void closedPortIsEconnrefused() throws IOException {
        InetSocketAddress closed;
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            closed = (InetSocketAddress) server.getLocalAddress();
        }

        Throwable t = catchThrowable(() -> SocketChannel.open(closed).close());

        assertThat(ErrnoMapping.errno(t)).isEqualTo(AioErrno.ECONNREFUSED);
    }

    @Test
    @Timeout(30)
    void portInUseIsEaddrinuse() throws IOException {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));

            Throwable t = catchThrowable(() -> ServerSocketChannel.open().bind(server.getLocalAddress()).close());

            assertThat(ErrnoMapping.errno(t)).isEqualTo(AioErrno.EADDRINUSE);
        }
    }

    @Test
    @Timeout(30)
    void unixSocketsMissingDeadAndFullAreEnoentEconnrefusedAndEagain() throws IOException {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("s"));
        Throwable missing = catchThrowable(() -> SocketChannel.open(path).close());
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(path, 1);
            // Linux refuses a non-blocking connect of a Unix socket with EAGAIN once the backlog is full.
            List<SocketChannel> clients = new ArrayList<>();
            Throwable full = null;
            try {
                for (int i = 0; i < 16 && full == null; i++) {
                    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                    clients.add(c);
                    c.configureBlocking(false);
                    full = catchThrowable(() -> c.connect(path));
                }
            } finally {
                for (SocketChannel c : clients) {
                    c.close();
                }
            }
            assertThat(ErrnoMapping.errno(full)).isEqualTo(AioErrno.EAGAIN);
        }
        Throwable dead = catchThrowable(() -> SocketChannel.open(path).close()); // the file is left behind

        assertThat(ErrnoMapping.errno(missing)).isEqualTo(AioErrno.ENOENT);
        assertThat(ErrnoMapping.errno(dead)).isEqualTo(AioErrno.ECONNREFUSED);
    }

    @Test
    void closedChannelIsEbadfAndMessagesAreMatched() {
        assertThat(ErrnoMapping.errno(new ClosedChannelException())).isEqualTo(AioErrno.EBADF);
        assertThat(ErrnoMapping.errno(new IOException("Connection reset by peer"))).isEqualTo(AioErrno.ECONNRESET);
        assertThat(ErrnoMapping.errno(new IOException("Broken pipe"))).isEqualTo(AioErrno.EPIPE);
        assertThat(ErrnoMapping.errno(new IOException("wrapped", new IOException("Broken pipe"))))
                .isEqualTo(AioErrno.EPIPE);
        assertThat(ErrnoMapping.errno(new IOException("something odd"))).isEqualTo(AioErrno.EIO);
    }

    @Test
    void descriptorExhaustionOfTheProcessAndOfTheSystemAreTold() {
        assertThat(ErrnoMapping.errno(new IOException("Too many open files"))).isEqualTo(AioErrno.EMFILE);
        assertThat(ErrnoMapping.errno(new IOException("accept(..) failed: Too many open files in system")))
                .isEqualTo(AioErrno.ENFILE);
    }
}
