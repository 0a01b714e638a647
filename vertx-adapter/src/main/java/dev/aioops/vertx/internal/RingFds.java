package dev.aioops.vertx.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.uring.ring.DescriptorTable;
import dev.aioops.uring.ring.LibC;

/**
 * The descriptors of one shared-ring engine, under handles that carry a generation ({@link DescriptorTable}:
 * {@code generation << 20 | fd}), as in the io_uring adapter: a handle kept after its close is unknown
 * ({@code -EBADF}) even once the kernel has given its number to another file or socket, of this instance or of
 * Vert.x. Changed on the event-loop thread only; looked up on any thread ({@code signal}, {@code localAddress},
 * the socket options, {@link #fileDescriptor}).
 */
final class RingFds extends DescriptorTable<RingFd> {

    /**
     * Loop: adds a descriptor the engine has just opened, under a new handle.
     *
     * @param fd   the descriptor
     * @param kind what it is
     * @param unix whether it is a Unix domain socket
     * @return the handle, or {@code -EMFILE} (the descriptor closed) when it is above {@link #MAX_FD}
     */
    int adopt(int fd, RingFd.Kind kind, boolean unix) {
        int handle = newHandle(fd);
        if (handle < 0) {
            LibC.close(fd);
            return -AioErrno.EMFILE;
        }
        return put(new RingFd(fd, handle, kind, unix)).handle;
    }

    /**
     * Any thread: the descriptor of an open handle ({@code RAW_FD}).
     *
     * @param handle a handle
     * @return its descriptor
     * @throws AioException with {@code EBADF} for a handle that is unknown, stale or being closed
     */
    int fileDescriptor(int handle) throws AioException {
        RingFd f = get(handle);
        if (f == null || f.closing) {
            throw new AioException(AioErrno.EBADF, "fileDescriptor(" + handle + ")");
        }
        return f.fd;
    }
}
