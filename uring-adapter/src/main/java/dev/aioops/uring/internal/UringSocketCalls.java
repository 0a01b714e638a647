package dev.aioops.uring.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.internal.SocketChecks;
import dev.aioops.uring.ring.SocketOptions;
import dev.aioops.uring.ring.Sockets;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * The synchronous socket calls of the contract ({@code setsockopt}, {@code getsockopt}, {@code getpeername}) on
 * this instance's descriptors. Any thread: each call holds the descriptor's entry ({@link FdTable.Entry#enter()})
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
            SocketOptions.set(handle, option, value);
        } finally {
            e.exit();
        }
    }

    int get(int handle, AioSocketOption option) throws IOException {
        Objects.requireNonNull(option, "option");
        FdTable.Entry e = enter(handle, option, "socketOption");
        try {
            return SocketOptions.get(handle, option);
        } finally {
            e.exit();
        }
    }

    /** The local address of a socket or listener: the one cached at listen, else asked of the kernel. */
    InetSocketAddress localAddress(int handle) throws IOException {
        FdTable.Entry e = fds.get(handle);
        if (e == null || !e.enter()) {
            throw new AioException(AioErrno.EBADF, "localAddress of handle " + handle);
        }
        try {
            if (e.kind != FdTable.SOCKET && e.kind != FdTable.LISTENER && e.kind != FdTable.DATAGRAM) {
                throw new AioException(AioErrno.ENOTSOCK, "localAddress of handle " + handle);
            }
            InetSocketAddress cached = e.localAddress;
            return cached != null ? cached : Sockets.localAddress(handle);
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
            return SocketOptions.remoteAddress(handle);
        } finally {
            e.exit();
        }
    }

    /** Enters a socket's entry, or throws {@code EBADF}, {@code ENOTSOCK}, or for a listener {@code ENOPROTOOPT}. */
    private FdTable.Entry enter(int handle, AioSocketOption option, String operation) throws AioException {
        FdTable.Entry e = fds.get(handle);
        if (e == null || !e.enter()) {
            throw new AioException(AioErrno.EBADF, operation + " of handle " + handle);
        }
        try {
            if (e.kind != FdTable.SOCKET && e.kind != FdTable.LISTENER && e.kind != FdTable.DATAGRAM) {
                throw new AioException(AioErrno.ENOTSOCK, operation + " of handle " + handle);
            }
            if (e.kind == FdTable.LISTENER && option != null) {
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
