package dev.aioops.uring.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.internal.SocketChecks;
import dev.aioops.uring.ring.SocketOptions;
import dev.aioops.uring.ring.Sockets;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * The synchronous socket calls of the contract ({@code setsockopt}, {@code getsockopt}, {@code getpeername}) on
 * this instance's descriptors, and {@code fileDescriptor}. Any thread: each call holds the descriptor's entry ({@link FdTable.Entry#enter()})
 * so that a close waits for it and the number cannot be reused under the call.
 */
final class UringSocketCalls {

    private final FdTable fds;

    UringSocketCalls(FdTable fds) {
        this.fds = fds;
    }

    void set(int handle, AioSocketOption option, int value) throws IOException {
        SocketChecks.value(handle, option, value);
        FdTable.Entry e = enter(handle, option, "setSocketOption");
        try {
            SocketOptions.set(e.fd, option, value);
        } finally {
            e.exit();
        }
    }

    int get(int handle, AioSocketOption option) throws IOException {
        Objects.requireNonNull(option, "option");
        FdTable.Entry e = enter(handle, option, "socketOption");
        try {
            return SocketOptions.get(e.fd, option);
        } finally {
            e.exit();
        }
    }

    /** The local address of a socket or listener: the one cached at listen, else asked of the kernel. */
    SocketAddress localAddress(int handle) throws IOException {
        FdTable.Entry e = fds.get(handle);
        if (e == null || !e.enter()) {
            throw new AioException(AioErrno.EBADF, "localAddress of handle " + handle);
        }
        try {
            if (e.kind != FdTable.SOCKET && e.kind != FdTable.LISTENER && e.kind != FdTable.DATAGRAM) {
                throw new AioException(AioErrno.ENOTSOCK, "localAddress of handle " + handle);
            }
            SocketAddress cached = e.localAddress;
            return cached != null ? cached : Sockets.localAddress(e.fd);
        } finally {
            e.exit();
        }
    }

    SocketAddress remoteAddress(int handle) throws IOException {
        FdTable.Entry e = enter(handle, null, "remoteAddress");
        try {
            if (e.kind == FdTable.LISTENER) {
                throw new AioException(AioErrno.ENOTCONN, "remoteAddress of handle " + handle);
            }
            return SocketOptions.remoteAddress(e.fd);
        } finally {
            e.exit();
        }
    }

    /** The descriptor of an open handle, for {@code RAW_FD}; {@code EBADF} once its close has begun. */
    int fileDescriptor(int handle) throws AioException {
        FdTable.Entry e = fds.get(handle);
        if (e == null || e.isShut()) {
            throw new AioException(AioErrno.EBADF, "fileDescriptor of handle " + handle);
        }
        return e.fd;
    }

    /**
     * Enters a socket's entry, or throws {@code EBADF}, {@code ENOTSOCK}, for a listener {@code ENOPROTOOPT}, or
     * for a Unix socket {@code EOPNOTSUPP} (an option that does not apply to one).
     */
    private FdTable.Entry enter(int handle, AioSocketOption option, String operation) throws AioException {
        FdTable.Entry e = fds.get(handle);
        if (e == null || !e.enter()) {
            throw new AioException(AioErrno.EBADF, operation + " of handle " + handle);
        }
        try {
            if (e.kind != FdTable.SOCKET && e.kind != FdTable.LISTENER && e.kind != FdTable.DATAGRAM) {
                throw new AioException(AioErrno.ENOTSOCK, operation + " of handle " + handle);
            }
            if (e.unix && option != null) {
                SocketChecks.onUnix(handle, option, e.kind == FdTable.LISTENER, operation);
            } else if (e.kind == FdTable.LISTENER && option != null) {
                SocketChecks.onListener(handle, option, operation);
            }
            if (e.kind == FdTable.DATAGRAM && option != null) {
                SocketChecks.onDatagram(handle, option, operation);
            }
            return e;
        } catch (AioException failure) {
            e.exit();
            throw failure;
        }
    }
}
