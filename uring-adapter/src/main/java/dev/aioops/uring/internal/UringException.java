package dev.aioops.uring.internal;

import dev.aioops.spi.AioErrno;

import java.io.Serial;

/** A system call of the ring's setup failed; carries its errno. */
public final class UringException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int errno;

    /**
     * Creates the exception.
     *
     * @param errno the positive errno
     * @param call  the call that failed, for the message
     */
    public UringException(int errno, String call) {
        super(call + " failed: " + AioErrno.description(errno) + " (" + AioErrno.name(errno) + ")");
        this.errno = errno;
    }

    /**
     * The errno of the failed call.
     *
     * @return the positive errno
     */
    public int errno() {
        return errno;
    }
}
