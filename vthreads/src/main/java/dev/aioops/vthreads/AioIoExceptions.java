package dev.aioops.vthreads;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns a failed result ({@code -errno}) into the {@link IOException} a Java developer catches for it: the
 * {@code java.nio.file} exceptions for path operations, {@code java.net} ones for sockets, so that code written
 * for {@link java.nio.file.Files} and {@link java.nio.channels.SocketChannel} keeps its {@code catch} clauses.
 * Each carries an {@link AioException} with the errno as its cause, which {@link #errno(Throwable)} finds.
 *
 * <table>
 *   <caption>The mapping</caption>
 *   <tr><th>errno</th><th>exception</th></tr>
 *   <tr><td>ENOENT</td><td>{@link NoSuchFileException} (path operations; else {@link AioException})</td></tr>
 *   <tr><td>EEXIST</td><td>{@link FileAlreadyExistsException}</td></tr>
 *   <tr><td>EACCES, EPERM</td><td>{@link AccessDeniedException}</td></tr>
 *   <tr><td>ENOTDIR</td><td>{@link NotDirectoryException}</td></tr>
 *   <tr><td>ENOTEMPTY</td><td>{@link DirectoryNotEmptyException}</td></tr>
 *   <tr><td>other errors of a path operation</td><td>{@link FileSystemException}</td></tr>
 *   <tr><td>ETIMEDOUT</td><td>{@link SocketTimeoutException}: a deadline passed, or TCP gave up</td></tr>
 *   <tr><td>ECONNREFUSED</td><td>{@link ConnectException}</td></tr>
 *   <tr><td>EHOSTUNREACH, ENETUNREACH</td><td>{@link NoRouteToHostException}</td></tr>
 *   <tr><td>ECONNRESET, EPIPE, ECONNABORTED, ENOTCONN</td><td>{@link SocketException}</td></tr>
 *   <tr><td>ECANCELED</td><td>{@link AsynchronousCloseException}: the handle or the instance was closed, or
 *       another thread cancelled the operation, while the caller waited</td></tr>
 *   <tr><td>any other, EBADF included</td><td>{@link AioException} itself (EBADF means a closed or unknown
 *       handle, or one not opened for the operation)</td></tr>
 * </table>
 */
public final class AioIoExceptions {

    private AioIoExceptions() {
    }

    /**
     * The exception for a failed result.
     *
     * @param result a negative result, {@code -errno}
     * @param what   what was being done, such as {@code "read"}
     * @param path   the path of a path operation, else null
     * @return the exception, with an {@link AioException} holding the errno as its cause
     * @throws IllegalArgumentException if {@code result} is not negative
     */
    public static IOException of(int result, String what, Object path) {
        AioException cause = AioErrno.exception(result, path == null ? what : what + " " + path);
        int errno = cause.errno();
        String reason = cause.getMessage();
        IOException e;
        if (path != null) {
            String file = path.toString();
            e = switch (errno) {
                case AioErrno.ENOENT -> new NoSuchFileException(file, null, reason);
                case AioErrno.EEXIST -> new FileAlreadyExistsException(file, null, reason);
                case AioErrno.EACCES, AioErrno.EPERM -> new AccessDeniedException(file, null, reason);
                case AioErrno.ENOTDIR -> new NotDirectoryException(file);
                case AioErrno.ENOTEMPTY -> new DirectoryNotEmptyException(file);
                default -> null;
            };
            if (e == null && errno != AioErrno.ECANCELED) {
                e = new FileSystemException(file, null, reason);
            }
        } else {
            e = switch (errno) {
                case AioErrno.EACCES, AioErrno.EPERM -> new AccessDeniedException(null, null, reason);
                case AioErrno.ETIMEDOUT -> new SocketTimeoutException(reason);
                case AioErrno.ECONNREFUSED -> new ConnectException(reason);
                case AioErrno.EHOSTUNREACH, AioErrno.ENETUNREACH -> new NoRouteToHostException(reason);
                case AioErrno.ECONNRESET, AioErrno.EPIPE, AioErrno.ECONNABORTED, AioErrno.ENOTCONN ->
                        new SocketException(reason);
                default -> null;
            };
        }
        if (e == null && errno == AioErrno.ECANCELED) {
            e = new AsynchronousCloseException();
        }
        if (e == null) {
            return cause;
        }
        e.initCause(cause);
        return e;
    }

    /**
     * The errno behind an exception from {@link AioBlocking}: that of the {@link AioException} it is or has
     * as a cause.
     *
     * @param error an exception
     * @return the positive errno, or 0 when there is none
     */
    public static int errno(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof AioException aio) {
                return aio.errno();
            }
        }
        return 0;
    }
}
