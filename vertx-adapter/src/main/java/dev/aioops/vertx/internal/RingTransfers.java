package dev.aioops.vertx.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioVector;
import dev.aioops.uring.ring.RingOpcodes;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.MemorySegment;
import java.util.function.BiConsumer;
import java.util.function.ObjIntConsumer;

/**
 * The reads and writes of the shared ring, single and vectored: {@code READ}/{@code WRITE} on files and eventfds,
 * {@code RECV}/{@code SEND} on sockets, {@code READV}/{@code WRITEV} with the caller's {@code iovec} array on files
 * and sockets (the operation's {@code argument} keeps the vector reachable until the completion). A stream socket
 * has at most one read in the ring, vectored or not; later ones wait in {@link RingFd#queuedReads}. Loop thread
 * only.
 */
final class RingTransfers {

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
    RingTransfers(MemorySegment sqe, BiConsumer<Op, RingFd> submit, ObjIntConsumer<Op> complete,
                  RingFds fds) {
        this.sqe = sqe;
        this.submit = submit;
        this.complete = complete;
        this.fds = fds;
    }

    /** Loop: starts a read or write, single or vectored, or queues a socket read behind the one in the ring. */
    void start(Op op) {
        RingFd f = fds.get(op.handle);
        if (f == null || f.closing) {
            complete.accept(op, -AioErrno.EBADF);
            return;
        }
        if (f.kind == RingFd.Kind.DATAGRAM) {
            // read(2) would cut a datagram silently: receive and sendTo are a datagram socket's operations.
            complete.accept(op, -AioErrno.EINVAL);
            return;
        }
        boolean read = op.kind.reads();
        if (op.argument instanceof AioVector vector) {
            if (!vectored(op, f, read, vector)) {
                return;
            }
        } else if (!single(op, f, read)) {
            return;
        }
        submit.accept(op, f);
        if (read && f.isStream()) {
            f.readInRing = op.target == f && !op.done;
        }
    }

    /** Encodes a read or write of {@link Op#view}; false if it completed or was queued instead. */
    private boolean single(Op op, RingFd f, boolean read) {
        long address = op.view.address();
        int length = (int) op.view.byteSize();
        switch (f.kind) {
            case FILE, DIRECTORY -> {
                if (read) {
                    SqeEncoder.read(sqe, 0, f.fd, address, length, op.offset, -1, op.token);
                } else {
                    SqeEncoder.write(sqe, 0, f.fd, address, length, op.offset, -1, op.token);
                }
            }
            case EVENTFD -> {
                if (op.offset != -1) {
                    complete.accept(op, -AioErrno.ESPIPE);
                    return false;
                }
                if (read) {
                    SqeEncoder.read(sqe, 0, f.fd, address, length, -1, -1, op.token);
                } else {
                    SqeEncoder.write(sqe, 0, f.fd, address, length, -1, -1, op.token);
                }
            }
            case SOCKET, LISTENER -> {
                if (op.offset != -1) {
                    complete.accept(op, -AioErrno.ESPIPE);
                    return false;
                }
                if (read) {
                    if (f.readInRing) {
                        f.queuedReads.add(op);
                        return false;
                    }
                    SqeEncoder.recv(sqe, 0, f.fd, address, length, op.token);
                } else {
                    SqeEncoder.send(sqe, 0, f.fd, address, length, op.token);
                }
            }
        }
        return true;
    }

    /**
     * Encodes a {@code READV} or {@code WRITEV}; false if it completed or was queued instead. As on the io_uring
     * adapter, an eventfd ({@code -EINVAL}), a listener ({@code -ENOTCONN}, {@code -EPIPE}) and a position on a
     * socket ({@code -ESPIPE}) are refused before the kernel.
     */
    private boolean vectored(Op op, RingFd f, boolean read, AioVector vector) {
        boolean stream = f.kind == RingFd.Kind.SOCKET;
        int refused = f.kind == RingFd.Kind.EVENTFD ? -AioErrno.EINVAL
                : f.kind == RingFd.Kind.LISTENER ? (read ? -AioErrno.ENOTCONN : -AioErrno.EPIPE)
                : stream && op.offset != -1 ? -AioErrno.ESPIPE
                : !RingOpcodes.has(read ? UringLayout.OP_READV : UringLayout.OP_WRITEV) ? -AioErrno.EOPNOTSUPP
                : 0;
        if (refused != 0) {
            complete.accept(op, refused);
            return false;
        }
        if (read && stream && f.readInRing) {
            f.queuedReads.add(op);
            return false;
        }
        long position = stream ? 0 : op.offset;
        long iovecs = vector.iovecs().address();
        if (read) {
            SqeEncoder.readv(sqe, 0, f.fd, iovecs, vector.count(), position, op.token);
        } else {
            SqeEncoder.writev(sqe, 0, f.fd, iovecs, vector.count(), position, op.token);
        }
        return true;
    }
}
