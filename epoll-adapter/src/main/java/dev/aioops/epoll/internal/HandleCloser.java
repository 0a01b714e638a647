package dev.aioops.epoll.internal;

import dev.aioops.linux.internal.FileCalls;
import dev.aioops.spi.AioCloseTimeoutException;
import dev.aioops.spi.AioErrno;

import java.time.Duration;

/**
 * The close protocol of handles: what is waiting on a handle completes exactly once before its channel is
 * released, so that a descriptor is never closed while an operation may still use it.
 *
 * <p><b>One handle</b> ({@link #close(Op)}): it leaves the {@link HandleTable} at once, so every thread finds it
 * unknown from then on; what waits on it completes with {@code -ECANCELED}; then its channel is closed and the
 * close completes with 0. A file whose operations are running on pool threads is closed when the last one is back
 * ({@link FileDriver#close}).
 *
 * <p><b>The instance</b>: {@link #withdrawAll()} when the close begins, then, once the pool had its
 * {@code closeTimeout}, {@link #closeAll()}. Operations still inside a system call on a pool thread then (the
 * {@link FileStragglers stragglers}) and the closes of their files stay pending, and are reported.
 *
 * <p>Loop-confined: the loop thread, the host thread that drives it, or the thread closing an instance nobody
 * drove.
 */
final class HandleCloser {

    /** How many stragglers the close-timeout report names. */
    private static final int NAMED_STRAGGLERS = 8;

    private final HandleTable handles;
    private final CompletionQueue completions;
    private final FileDriver files;
    private final SocketDriver sockets;
    private final EventfdDriver eventfds;
    private final DatagramDriver datagrams;
    private final Duration closeTimeout;

    HandleCloser(HandleTable handles, CompletionQueue completions, FileDriver files, SocketDriver sockets,
                 EventfdDriver eventfds, DatagramDriver datagrams, Duration closeTimeout) {
        this.handles = handles;
        this.completions = completions;
        this.files = files;
        this.sockets = sockets;
        this.eventfds = eventfds;
        this.datagrams = datagrams;
        this.closeTimeout = closeTimeout;
    }

    /**
     * Starts the close of the handle {@link Op#handle} names; completes with 0, or {@code -EBADF} if it is not
     * open.
     *
     * @param op a CLOSE operation
     */
    void close(Op op) {
        Resource r = handles.remove(op.handle);
        if (r == null) {
            completions.finish(op, -AioErrno.EBADF);
            return;
        }
        r.closed = true;
        switch (r) {
            case SocketResource s -> sockets.closeHandle(s, op);
            case ListenResource l -> {
                sockets.cancelAndClose(l);
                completions.finish(op, 0);
            }
            case EventfdResource e -> {
                eventfds.cancelAll(e);
                completions.finish(op, 0);
            }
            case DatagramResource d -> {
                datagrams.cancelAndClose(d);
                completions.finish(op, 0);
            }
            case FileResource f -> {
                sockets.sendFiles().fileClosing(f);
                files.close(f, op);
            }
        }
    }

    /**
     * Instance close, first part: every handle marked closed for the threads that look handles up
     * ({@code signal}), every pending operation withdrawn, and the file pool stopped and given up to
     * {@code closeTimeout} to finish the system calls its threads are in.
     */
    void withdrawAll() {
        for (Resource r : handles.all()) {
            r.closed = true;
        }
        completions.cancelAll();
        files.shutdown(closeTimeout);
    }

    /**
     * Instance close, last part, after the last drain of the inbox and with pool threads completing their own
     * operations ({@link FileStragglers#seal()}): completes every pending operation with {@code -ECANCELED} but
     * the stragglers and the closes waiting for them, and closes every handle, but the files stragglers use.
     *
     * @return the report of the stragglers, for the error handler; null if there are none
     */
    AioCloseTimeoutException closeAll() {
        int stuck = 0;
        StringBuilder detail = new StringBuilder();
        for (Op op : completions.snapshot()) {
            if (op.stage != Op.PENDING) {
                continue;
            }
            if (!FileStragglers.waitsForPool(op)) {
                completions.finish(op, -AioErrno.ECANCELED);
            } else if (op.inPool) {
                stuck++;
                if (stuck <= NAMED_STRAGGLERS) {
                    detail.append(stuck == 1 ? "" : ", ").append(Op.kindName(op.kind)).append(" of handle ")
                            .append(op.handle);
                }
            }
        }
        for (Resource r : handles.all()) {
            handles.remove(r.handle);
            switch (r) {
                case SocketResource s -> sockets.cancelAndClose(s);
                case ListenResource l -> sockets.cancelAndClose(l);
                // A descriptor is never closed under a system call: a straggler's file closes when it is back.
                case FileResource f -> {
                    if (f.idle()) {
                        FileCalls.close(f.fd);
                    }
                }
                case EventfdResource e -> eventfds.cancelAll(e);
                case DatagramResource d -> datagrams.cancelAndClose(d);
            }
        }
        if (stuck == 0) {
            return null;
        }
        return new AioCloseTimeoutException("epoll", stuck, closeTimeout,
                (stuck > NAMED_STRAGGLERS ? detail.append(", ...") : detail) + "; each completes on its file-pool "
                        + "thread when its system call returns");
    }
}
