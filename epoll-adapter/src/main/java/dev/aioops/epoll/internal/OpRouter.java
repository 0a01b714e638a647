package dev.aioops.epoll.internal;

import dev.aioops.spi.AioErrno;

/**
 * Starts each operation with the one driver method for its kind: the table a new operation adds a line to.
 * Read and write, the operations whose handle decides how they are done, go to the driver of that handle's kind;
 * every other driver method resolves its own handle. Cancels need no routing: the driver that keeps an operation
 * pending is its {@link Op#canceller}. Loop-confined.
 */
final class OpRouter {

    private final HandleTable handles;
    private final CompletionQueue completions;
    private final FileDriver files;
    private final SocketDriver sockets;
    private final EventfdDriver eventfds;
    private final TimeoutDriver timeouts;
    private final HandleCloser closer;
    private final DatagramDriver datagrams;

    OpRouter(HandleTable handles, CompletionQueue completions, FileDriver files, SocketDriver sockets,
             EventfdDriver eventfds, TimeoutDriver timeouts, HandleCloser closer, DatagramDriver datagrams) {
        this.handles = handles;
        this.completions = completions;
        this.files = files;
        this.sockets = sockets;
        this.eventfds = eventfds;
        this.timeouts = timeouts;
        this.closer = closer;
        this.datagrams = datagrams;
    }

    /**
     * Registers an accepted operation as pending and starts it. Its completion is queued, never run here.
     *
     * @param op a new operation
     */
    void start(Op op) {
        completions.started(op);
        if (op.deadline) {
            timeouts.watch(op);
        }
        switch (op.kind) {
            case Op.READ, Op.WRITE -> transfer(op);
            case Op.FSYNC, Op.FDATASYNC, Op.FTRUNCATE, Op.FALLOCATE, Op.FSTAT -> files.fileOperation(op);
            case Op.OPEN, Op.STAT, Op.UNLINK, Op.RENAME, Op.MKDIR -> files.pathOperation(op);
            case Op.LISTEN -> sockets.listen(op);
            case Op.ACCEPT, Op.SHUTDOWN -> socketOperation(op);
            case Op.CONNECT -> sockets.connect(op);
            case Op.DATAGRAM_OPEN -> datagrams.open(op);
            case Op.SEND_TO, Op.RECEIVE -> datagrams.transfer(op);
            case Op.SENDFILE -> sockets.sendFiles().start(op);
            case Op.AWAIT_READABLE -> awaitReadable(op);
            case Op.CLOSE -> closer.close(op);
            case Op.EVENTFD -> eventfds.create(op);
            case Op.TIMEOUT -> timeouts.start(op);
            default -> completions.finish(op, -AioErrno.EINVAL);
        }
    }

    /**
     * Ends an operation whose start threw, exactly once: a driver that holds it withdraws it (its completion
     * says {@code -ECANCELED}); one held by none completes with {@code result}; one already finished is left to
     * its completion.
     *
     * @param op     the operation whose start threw
     * @param result the negated errno to complete it with
     */
    void failed(Op op, int result) {
        if (op.stage == Op.NEW) {
            completions.started(op);
        }
        if (op.stage != Op.PENDING) {
            return;
        }
        if (op.canceller != null) {
            op.canceller.cancel(op);
        } else {
            completions.finish(op, result);
        }
    }

    private void transfer(Op op) {
        switch (handles.get(op.handle)) {
            case FileResource f -> files.transfer(f, op);
            case SocketResource s -> sockets.transfer(s, op);
            case EventfdResource e -> eventfds.transfer(e, op);
            // As Linux: read(2) of a listening TCP socket is ENOTCONN, write(2) EPIPE.
            case ListenResource l -> completions.finish(op, op.kind == Op.READ ? -AioErrno.ENOTCONN : -AioErrno.EPIPE);
            // A read would cut a datagram silently: receive and sendTo are the datagram's operations.
            case DatagramResource d -> completions.finish(op, -AioErrno.EINVAL);
            case null -> completions.finish(op, -AioErrno.EBADF);
        }
    }

    /** A readiness wait: of stream sockets only; the caller reads any other handle as it would without one. */
    private void awaitReadable(Op op) {
        switch (handles.get(op.handle)) {
            case SocketResource s -> sockets.awaitReadable(s, op);
            case null -> completions.finish(op, -AioErrno.EBADF);
            default -> completions.finish(op, -AioErrno.ENOTSOCK);
        }
    }

    /** An accept or shutdown: of a datagram socket here (accept(2) of one is EOPNOTSUPP), else of TCP. */
    private void socketOperation(Op op) {
        if (handles.get(op.handle) instanceof DatagramResource d) {
            if (op.kind == Op.ACCEPT) {
                completions.finish(op, -AioErrno.EOPNOTSUPP);
            } else {
                datagrams.shutdown(d, op);
            }
        } else if (op.kind == Op.ACCEPT) {
            sockets.accept(op);
        } else {
            sockets.shutdown(op);
        }
    }
}
