package dev.aioops.nio2.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns a {@code -errno} result into the exception the JDK's channels give for the same failure. */
final class Failures {

    private Failures() {
    }

    /**
     * The failure of a read, write or accept.
     *
     * @param result  the {@code -errno}
     * @param closed  whether the channel was closed when it failed (then every failure is an asynchronous close)
     * @param timed   whether the operation had a deadline (then {@code -ETIMEDOUT} is its timeout)
     * @param context what was done, for the message
     * @return the exception
     */
    static Throwable io(int result, boolean closed, boolean timed, String context) {
        if (closed || result == -AioErrno.ECANCELED) {
            return new AsynchronousCloseException();
        }
        if (timed && result == -AioErrno.ETIMEDOUT) {
            return new InterruptedByTimeoutException();
        }
        return AioErrno.exception(result, context);
    }

    /** The failure of a connect: a {@link ConnectException}, as the JDK gives. */
    static Throwable connect(int result, boolean closed) {
        if (closed || result == -AioErrno.ECANCELED) {
            return new AsynchronousCloseException();
        }
        ConnectException e = new ConnectException(AioErrno.description(result));
        e.initCause(new AioException(-result, "connect"));
        return e;
    }

    /** The failure of a bind: {@link BindException} as the JDK gives. */
    static IOException bind(int result) {
        BindException e = new BindException(AioErrno.description(result));
        e.initCause(new AioException(-result, "bind"));
        return e;
    }

    /** The failure of a file open, as {@code sun.nio.fs.UnixException} translates it. */
    static IOException open(int result, String path) {
        int errno = -result;
        if (errno == AioErrno.ENOENT) {
            return new NoSuchFileException(path);
        }
        if (errno == AioErrno.EEXIST) {
            return new FileAlreadyExistsException(path);
        }
        if (errno == AioErrno.EACCES || errno == AioErrno.EPERM) {
            return new AccessDeniedException(path);
        }
        if (errno == AioErrno.ELOOP) {
            return new FileSystemException(path, null, AioErrno.description(result) + " or unable to access "
                    + "attributes of symbolic link");
        }
        return new FileSystemException(path, null, AioErrno.description(result));
    }
}
