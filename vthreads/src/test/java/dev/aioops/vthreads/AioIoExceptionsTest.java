package dev.aioops.vthreads;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AioIoExceptionsTest {

    private static final Path FILE = Path.of("/data/x");

    private static IOException of(int errno, Object path) {
        return AioIoExceptions.of(-errno, "op", path);
    }

    @Test
    void path_operations_get_the_java_nio_file_exceptions_with_the_path() {
        assertThat(of(AioErrno.ENOENT, FILE)).isInstanceOf(NoSuchFileException.class)
                .satisfies(e -> assertThat(((NoSuchFileException) e).getFile()).isEqualTo("/data/x"));
        assertThat(of(AioErrno.EEXIST, FILE)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(of(AioErrno.EACCES, FILE)).isInstanceOf(AccessDeniedException.class);
        assertThat(of(AioErrno.ELOOP, FILE)).isExactlyInstanceOf(FileSystemException.class)
                .hasMessageContaining("ELOOP");
    }

    @Test
    void socket_failures_get_the_java_net_exceptions() {
        assertThat(of(AioErrno.ETIMEDOUT, null)).isInstanceOf(SocketTimeoutException.class);
        assertThat(of(AioErrno.ECONNREFUSED, null)).isInstanceOf(ConnectException.class);
        assertThat(of(AioErrno.EHOSTUNREACH, null)).isInstanceOf(NoRouteToHostException.class);
        assertThat(of(AioErrno.ECONNRESET, null)).isExactlyInstanceOf(SocketException.class)
                .hasMessageContaining("ECONNRESET");
        assertThat(of(AioErrno.ECANCELED, null)).isInstanceOf(AsynchronousCloseException.class);
        assertThat(of(AioErrno.ECANCELED, FILE)).isInstanceOf(AsynchronousCloseException.class);
    }

    @Test
    void every_exception_carries_the_errno_and_the_rest_are_AioExceptions() {
        for (int errno : new int[] {AioErrno.ENOENT, AioErrno.ETIMEDOUT, AioErrno.ECONNRESET, AioErrno.ECANCELED,
                AioErrno.EBADF, AioErrno.EINVAL}) {
            assertThat(AioIoExceptions.errno(of(errno, null))).as(AioErrno.name(errno)).isEqualTo(errno);
        }
        assertThat(of(AioErrno.EBADF, null)).isExactlyInstanceOf(AioException.class).hasMessageContaining("EBADF");
        assertThat(AioIoExceptions.errno(new IOException("plain"))).isZero();
    }

    @Test
    void a_success_is_not_an_error() {
        assertThatThrownBy(() -> AioIoExceptions.of(0, "op", null)).isInstanceOf(IllegalArgumentException.class);
    }
}
