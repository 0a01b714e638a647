package dev.aioops.epoll.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.internal.SendFileChecks;

import java.util.ArrayList;
import java.util.List;

/**
 * Zero-copy sends of a file to a socket ({@link FileSend}): {@code FileChannel.transferTo} to the socket's
 * non-blocking {@code SocketChannel}, on a file-pool thread, never on the loop, since a page that is not cached makes
 * {@code sendfile(2)} wait for the disk. When the socket's send buffer is full the step comes back, the loop waits for
 * writability, and a new step continues. Chosen over {@code sendfile(2)} through {@code java.lang.foreign}, which
 * would need the socket's descriptor that the JDK keeps to itself.
 *
 * <p><b>The socket's output belongs to the send</b> from its first step to its end ({@link SocketResource#sending}):
 * writes and sends submitted meanwhile queue behind it in {@link SocketResource#writers}, as writes queue behind a
 * write that would block, and none of them is attempted on the loop. That keeps the loop off the JDK's write lock of
 * the channel, which {@code transferTo} holds on the pool thread, and gives writes and sends on one socket the order
 * of their submission here (the contract promises less). For the same reason a socket whose send has a step on the
 * pool is closed only when the step is back.
 *
 * <p><b>The file</b> is pinned from submission to completion, as a rename's second directory is
 * ({@link FileResource#secondUses}), so that its descriptor, which the first step reopens, stays open; closing the
 * file handle stops its sends first. The reopened channel belongs to the send, not to the handle: opened by its
 * first step and closed at its end, it needs no coordination with the handle's close, and costs an {@code open} and
 * a {@code close} per send, what a server that opens a file per response pays anyway. Loop-confined, apart from
 * {@link FileSend#step()} on the pool.
 */
final class SendFileDriver implements OpCanceller {

    private final SocketDriver sockets;
    private final FileDriver files;
    private final HandleTable handles;
    private final CompletionQueue completions;
    /** The sends submitted and not completed: few, searched only when a file or socket handle closes. */
    private final List<Op> sends = new ArrayList<>();

    SendFileDriver(SocketDriver sockets, FileDriver files, HandleTable handles, CompletionQueue completions) {
        this.sockets = sockets;
        this.files = files;
        this.handles = handles;
        this.completions = completions;
    }

    /** Starts a send: the socket in {@link Op#handle}, the file in {@link Op#toHandle}. */
    void start(Op op) {
        Resource target = handles.get(op.handle);
        Resource source = handles.get(op.toHandle);
        int refused = switch (target) {
            case SocketResource s -> s.outputShut ? -AioErrno.EPIPE : 0;
            case ListenResource l -> -AioErrno.EPIPE; // as write(2) to a listening socket
            case null -> -AioErrno.EBADF;
            default -> -AioErrno.ENOTSOCK;
        };
        if (refused == 0) {
            refused = switch (source) {
                case FileResource f when !f.directory -> f.readable ? 0 : -AioErrno.EBADF;
                case null -> -AioErrno.EBADF;
                default -> -AioErrno.EINVAL; // a directory, socket or eventfd has no pages to send
            };
        }
        if (refused != 0 || op.length == 0) {
            completions.finish(op, refused);
            return;
        }
        SocketResource socket = (SocketResource) target;
        FileResource file = (FileResource) source;
        file.secondUses++;
        op.toDirectory = file;
        op.sendFile = new FileSend(socket, file, op.offset, SendFileChecks.capped(op.length));
        op.canceller = this;
        sends.add(op);
        if (socket.writers.isEmpty() && socket.sending == null) {
            begin(op);
        } else {
            socket.writers.add(op);
        }
    }

    /** Gives the socket's output to a send (at once, or when the writes before it are done) and runs its first step. */
    void begin(Op op) {
        op.sendFile.socket.sending = op;
        step(op);
    }

    private void step(Op op) {
        FileSend send = op.sendFile;
        send.waiting = false;
        send.toPool();
        if (!files.poolStep(op)) {
            end(op); // the pool has stopped: the instance is closing
            return;
        }
        sockets.updateInterest(send.socket);
    }

    /** The socket of a send is writable: the next step, if the send waits for it (a stale readiness is ignored). */
    void writable(SocketResource s) {
        if (s.sending.sendFile.waiting) {
            step(s.sending);
        }
    }

    /** A step came back from its pool thread (through the inbox). */
    void stepDone(Op op) {
        op.inPool = false;
        FileSend send = op.sendFile;
        if (send.over() || send.socket.closed || send.file.closed) {
            end(op);
        } else {
            send.waiting = true;
            sockets.updateInterest(send.socket);
        }
    }

    /** Completes a send that is not on the pool, releases its file and gives the socket's output to what waits. */
    private void end(Op op) {
        FileSend send = op.sendFile;
        send.closeChannel();
        sends.remove(op);
        completions.finish(op, send.result());
        // After the completion is queued, so that a close waiting for the file completes after it.
        files.sendOver(op);
        SocketResource s = send.socket;
        if (s.sending != op) {
            return;
        }
        s.sending = null;
        if (s.closeOp != null) {
            Quietly.close(s.channel);
            completions.finish(s.closeOp, 0);
            s.closeOp = null;
        } else if (!s.closed) {
            sockets.resumeWriters(s);
        }
    }

    /**
     * Withdraws a send: one queued behind writes or waiting for writability completes now, one whose step waits for
     * a pool thread too; a running step is asked to stop and the send completes when it is back.
     */
    @Override
    public void cancel(Op op) {
        FileSend send = op.sendFile;
        send.stop = true;
        if (op.list != null) {
            op.list.remove(op);
            end(op);
            if (!send.socket.closed) {
                sockets.updateInterest(send.socket);
            }
        } else if (!op.inPool) {
            end(op);
        } else if (op.cancelInPool()) {
            op.inPool = false;
            end(op);
        }
    }

    /**
     * A file handle is being closed: its sends stop, at once or when their running step is back (the file's close
     * waits for them, they pin it).
     */
    void fileClosing(FileResource f) {
        for (Op op : sends.toArray(Op[]::new)) {
            if (op.sendFile.file == f) {
                cancel(op);
            }
        }
    }

    /**
     * A socket handle is being closed: its queued sends complete now, as its queued writes do; a send with a step
     * on the pool stops and the socket is closed once the step is back.
     *
     * @param s       the socket, marked closed
     * @param closeOp the close, completed by {@link #end} when the close waits for a step
     * @return {@code true} if the channel's close waits for a step
     */
    boolean socketClosing(SocketResource s, Op closeOp) {
        for (Op op : sends.toArray(Op[]::new)) {
            if (op.sendFile.socket == s && op != s.sending) {
                cancel(op);
            }
        }
        Op active = s.sending;
        if (active == null) {
            return false;
        }
        cancel(active);
        if (s.sending == null) {
            return false;
        }
        s.closeOp = closeOp;
        return true;
    }

    /**
     * Instance close, after the pool had its time: whether a socket's channel is left to a send's step still on a
     * pool thread, which closes it when it returns ({@link FileSend#leaveSocket()}).
     */
    boolean leftToStep(SocketResource s) {
        return s.sending != null && s.sending.inPool && s.sending.sendFile.leaveSocket();
    }
}
