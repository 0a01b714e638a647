package dev.aioops.vertx.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.internal.SocketChecks;
import dev.aioops.uring.ring.RingOpcodes;
import dev.aioops.uring.ring.SocketOptions;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.function.ObjIntConsumer;

/**
 * The socket operations of the shared ring beyond connect, accept, read and write: {@code IORING_OP_SHUTDOWN}
 * in Netty's ring (loop thread), and the options and peer address through the io_uring adapter's libc calls
 * ({@link SocketOptions}; any thread, the descriptor held by its {@link RingFd#users} so that it is not closed
 * under the call).
 */
final class RingSockets implements SocketCalls {

    private final MemorySegment sqe;
    private final BiConsumer<Op, RingFd> submit;
    private final ObjIntConsumer<Op> complete;
    private final RingFds fds;

    /**
     * @param sqe      the engine's SQE scratch (loop thread only), to encode into
     * @param submit   submits the encoded SQE, counting the target descriptor in flight
     * @param complete completes an operation that never reached the ring
     * @param fds      the engine's descriptors
     */
    RingSockets(MemorySegment sqe, BiConsumer<Op, RingFd> submit, ObjIntConsumer<Op> complete,
                RingFds fds) {
        this.sqe = sqe;
        this.submit = submit;
        this.complete = complete;
        this.fds = fds;
    }

    /** Loop: a shutdown; a listener is refused with {@code -ENOTCONN} as on every adapter. */
    void shutdown(Op op) {
        RingFd f = fds.get(op.handle);
        int refused = f == null || f.closing ? -AioErrno.EBADF
                : f.kind == RingFd.Kind.LISTENER ? -AioErrno.ENOTCONN
                : f.kind != RingFd.Kind.SOCKET && f.kind != RingFd.Kind.DATAGRAM ? -AioErrno.ENOTSOCK
                : !RingOpcodes.has(UringLayout.OP_SHUTDOWN) ? -AioErrno.EOPNOTSUPP
                : 0;
        if (refused != 0) {
            complete.accept(op, refused);
            return;
        }
        SqeEncoder.shutdown(sqe, 0, f.fd, SocketOptions.how((AioShutdown) op.argument), op.token);
        submit.accept(op, f);
    }

    @Override
    public void set(int handle, AioSocketOption option, int value) throws IOException {
        SocketChecks.value(handle, option, value);
        RingFd f = enter(handle, option, "setSocketOption");
        try {
            SocketOptions.set(f.fd, option, value);
        } finally {
            f.users.decrementAndGet();
        }
    }

    @Override
    public int get(int handle, AioSocketOption option) throws IOException {
        Objects.requireNonNull(option, "option");
        RingFd f = enter(handle, option, "socketOption");
        try {
            return SocketOptions.get(f.fd, option);
        } finally {
            f.users.decrementAndGet();
        }
    }

    @Override
    public SocketAddress remoteAddress(int handle) throws IOException {
        RingFd f = enter(handle, null, "remoteAddress");
        try {
            if (f.kind == RingFd.Kind.LISTENER) {
                throw new AioException(AioErrno.ENOTCONN, "remoteAddress(" + handle + ")");
            }
            return SocketOptions.remoteAddress(f.fd);
        } finally {
            f.users.decrementAndGet();
        }
    }

    /** Holds a socket's descriptor open for a call, or throws EBADF, ENOTSOCK, ENOPROTOOPT or (Unix) EOPNOTSUPP. */
    private RingFd enter(int handle, AioSocketOption option, String operation) throws AioException {
        RingFd f = fds.get(handle);
        if (f == null) {
            throw new AioException(AioErrno.EBADF, operation + "(" + handle + ")");
        }
        f.users.incrementAndGet();
        try {
            if (f.closing) {
                throw new AioException(AioErrno.EBADF, operation + "(" + handle + ")");
            }
            if (!f.isSocket()) {
                throw new AioException(AioErrno.ENOTSOCK, operation + "(" + handle + ")");
            }
            if (f.unix && option != null) {
                SocketChecks.onUnix(handle, option, f.kind == RingFd.Kind.LISTENER, operation);
            } else if (f.kind == RingFd.Kind.LISTENER && option != null) {
                SocketChecks.onListener(handle, option, operation);
            }
            if (f.kind == RingFd.Kind.DATAGRAM && option != null) {
                SocketChecks.onDatagram(handle, option, operation);
            }
            return f;
        } catch (AioException failure) {
            f.users.decrementAndGet();
            throw failure;
        }
    }
}
