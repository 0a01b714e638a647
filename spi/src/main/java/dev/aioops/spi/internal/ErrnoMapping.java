package dev.aioops.spi.internal;

import dev.aioops.spi.AioErrno;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Turns the exceptions of Java channels and frameworks into Linux errno values, for the adapters that are
 * built on them (the NIO selector and Vert.x): the contract promises Linux numbering on every adapter.
 *
 * <p>Exception types say most; where the JDK throws a plain {@link IOException} or {@link SocketException},
 * the message carries the {@code strerror} text of the underlying errno, which is matched.
 */
public final class ErrnoMapping {

    private ErrnoMapping() {
    }

    /**
     * The negated errno for a failure.
     *
     * @param error what a Java API threw
     * @return {@code -errno}, {@code -EIO} when nothing more precise is known
     */
    public static int result(Throwable error) {
        return -errno(error);
    }

    /**
     * The positive errno for a failure.
     *
     * @param error what a Java API threw
     * @return the errno, {@link AioErrno#EIO} when nothing more precise is known
     */
    public static int errno(Throwable error) {
        Throwable e = error;
        for (int depth = 0; e != null && depth < 8; depth++, e = e.getCause()) {
            int errno = byType(e);
            if (errno == 0) {
                errno = byMessage(e.getMessage());
            }
            if (errno != 0) {
                return errno;
            }
        }
        return AioErrno.EIO;
    }

    private static int byType(Throwable e) {
        return switch (e) {
            case dev.aioops.spi.AioException x -> x.errno();
            case NoSuchFileException x -> AioErrno.ENOENT;
            case FileNotFoundException x -> byMessage(x.getMessage()) != 0 ? byMessage(x.getMessage())
                    : AioErrno.ENOENT;
            case FileAlreadyExistsException x -> AioErrno.EEXIST;
            case AccessDeniedException x -> AioErrno.EACCES;
            case NotDirectoryException x -> AioErrno.ENOTDIR;
            case DirectoryNotEmptyException x -> AioErrno.ENOTEMPTY;
            case FileSystemLoopException x -> AioErrno.ELOOP;
            case FileSystemException x -> byMessage(x.getReason());
            case AsynchronousCloseException x -> AioErrno.ECANCELED;
            case ClosedChannelException x -> AioErrno.EBADF;
            case NonReadableChannelException x -> AioErrno.EBADF;
            case NonWritableChannelException x -> AioErrno.EBADF;
            case NotYetConnectedException x -> AioErrno.ENOTCONN;
            case AlreadyConnectedException x -> AioErrno.EISCONN;
            case UnresolvedAddressException x -> AioErrno.EINVAL;
            case UnsupportedAddressTypeException x -> AioErrno.EINVAL;
            case BindException x -> byMessage(x.getMessage()) != 0 ? byMessage(x.getMessage())
                    : AioErrno.EADDRINUSE;
            case ConnectException x -> byMessage(x.getMessage()) != 0 ? byMessage(x.getMessage())
                    : AioErrno.ECONNREFUSED;
            case NoRouteToHostException x -> AioErrno.EHOSTUNREACH;
            case PortUnreachableException x -> AioErrno.ECONNREFUSED;
            case SocketTimeoutException x -> AioErrno.ETIMEDOUT;
            case EOFException x -> AioErrno.EPIPE;
            case CancellationException x -> AioErrno.ECANCELED;
            case RejectedExecutionException x -> AioErrno.ECANCELED;
            case UnsupportedOperationException x -> AioErrno.EOPNOTSUPP;
            case OutOfMemoryError x -> AioErrno.ENOMEM;
            default -> 0;
        };
    }

    /**
     * Matches the {@code strerror} text that the JDK puts in exception messages.
     *
     * @param message an exception message, possibly null
     * @return the errno, or 0 when the message names none
     */
    static int byMessage(String message) {
        if (message == null) {
            return 0;
        }
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("connection refused")) {
            return AioErrno.ECONNREFUSED;
        }
        if (m.contains("connection reset")) {
            return AioErrno.ECONNRESET;
        }
        if (m.contains("broken pipe")) {
            return AioErrno.EPIPE;
        }
        if (m.contains("address already in use")) {
            return AioErrno.EADDRINUSE;
        }
        if (m.contains("cannot assign requested address")) {
            return AioErrno.EADDRNOTAVAIL;
        }
        if (m.contains("network is unreachable")) {
            return AioErrno.ENETUNREACH;
        }
        if (m.contains("no route to host")) {
            return AioErrno.EHOSTUNREACH;
        }
        if (m.contains("timed out")) {
            return AioErrno.ETIMEDOUT;
        }
        if (m.contains("connection abort")) {
            return AioErrno.ECONNABORTED;
        }
        if (m.contains("no such file")) {
            return AioErrno.ENOENT;
        }
        if (m.contains("is a directory")) {
            return AioErrno.EISDIR;
        }
        if (m.contains("not a directory")) {
            return AioErrno.ENOTDIR;
        }
        if (m.contains("permission denied")) {
            return AioErrno.EACCES;
        }
        if (m.contains("operation not permitted")) {
            return AioErrno.EPERM;
        }
        if (m.contains("too many levels of symbolic links")) {
            return AioErrno.ELOOP;
        }
        if (m.contains("file exists")) {
            return AioErrno.EEXIST;
        }
        if (m.contains("no space left")) {
            return AioErrno.ENOSPC;
        }
        if (m.contains("too many open files in system")) {
            return AioErrno.ENFILE;
        }
        if (m.contains("too many open files")) {
            return AioErrno.EMFILE;
        }
        if (m.contains("invalid argument")) {
            return AioErrno.EINVAL;
        }
        if (m.contains("bad file descriptor")) {
            return AioErrno.EBADF;
        }
        if (m.contains("read-only file system")) {
            return AioErrno.EROFS;
        }
        if (m.contains("file name too long")) {
            return AioErrno.ENAMETOOLONG;
        }
        if (m.contains("resource temporarily unavailable")) {
            return AioErrno.EAGAIN;
        }
        if (m.contains("message too long")) {
            return AioErrno.EMSGSIZE;
        }
        if (m.contains("destination address required")) {
            return AioErrno.EDESTADDRREQ;
        }
        if (m.contains("address family not supported")) {
            return AioErrno.EAFNOSUPPORT;
        }
        if (m.contains("not supported")) {
            return AioErrno.EOPNOTSUPP;
        }
        return 0;
    }
}
