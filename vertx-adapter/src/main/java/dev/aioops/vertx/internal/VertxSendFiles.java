package dev.aioops.vertx.internal;

import dev.aioops.linux.internal.TransferChannels;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.internal.ErrnoMapping;
import dev.aioops.spi.internal.SendFileChecks;
import io.netty.channel.DefaultFileRegion;
import io.vertx.core.AsyncResult;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The zero-copy sends of the Vert.x-native mode: a worker opens a second descriptor of the file
 * ({@link TransferChannels}, which checks the handle's access and type) and the loop writes the range to the
 * socket's Netty channel as {@link DefaultFileRegion}s of at most {@link #CHUNK} bytes, one after the other, which
 * every Netty transport sends without copying ({@code transferTo}/{@code sendfile(2)} on NIO and epoll,
 * {@code splice} on io_uring). Through the {@code NetSocket}'s own write path, so that they queue with its writes.
 *
 * <p><b>Stopping.</b> A region Netty has begun writing cannot be withdrawn. A cancel stops the send after the region
 * being written (its completion then gives the bytes sent). Closing the socket or the file handle completes the send
 * at once with the bytes sent so far (or {@code -ECANCELED}); after the close of the file handle, Netty still sends
 * the rest of the region it holds, at most {@link #CHUNK} bytes. While the worker opens the file a send cannot be
 * completed (the worker reads its state): closing its socket then completes when the worker is back.
 *
 * <p>Loop thread only, apart from {@link #openOnWorker} on a worker of {@link VertxFiles}.
 */
final class VertxSendFiles {

    /** The most one region sends, as Vert.x's own {@code sendFile} cuts a file. */
    static final long CHUNK = 1 << 20;

    /** One send: the request, then its channel and progress. */
    static final class Send {
        final SocketHandle socket;
        final FileHandle file;
        long position;
        long remaining;
        long sent;
        /** Written by the worker, read by the loop once the worker is back. */
        FileChannel channel;
        boolean onWorker = true;
        boolean stop;
        /** The region Netty writes now, or null. */
        Region writing;

        Send(SocketHandle socket, FileHandle file, long offset, long length) {
            this.socket = socket;
            this.file = file;
            this.position = offset;
            this.remaining = length;
        }

        long sentSoFar() {
            return sent + (writing == null ? 0 : writing.transferred());
        }
    }

    /** A region whose file channel is the send's, closed by the send rather than by Netty's release. */
    private static final class Region extends DefaultFileRegion {
        Region(FileChannel channel, long position, long count) {
            super(channel, position, count);
        }

        @Override
        protected void deallocate() {
            // The channel outlives the region: the send's next region reads it too.
        }
    }

    private final VertxEngine engine;
    private final VertxFiles files;
    /** The sends submitted and not completed. */
    private final Map<Op, Send> sends = new HashMap<>();
    /** Closes of sockets that wait for sends whose worker is still out. */
    private final Map<SocketHandle, Runnable> releases = new HashMap<>();

    VertxSendFiles(VertxEngine engine, VertxFiles files) {
        this.engine = engine;
        this.files = files;
    }

    /** Loop: starts a send, the socket in {@code handle}, the {@link SendFileRequest} in {@code argument}. */
    void start(Op op) {
        SendFileRequest request = (SendFileRequest) op.argument;
        AioHandle target = engine.handle(op.handle);
        AioHandle source = engine.handle(request.fileHandle());
        int refused = switch (target) {
            case SocketHandle s -> s.canSend() ? 0 : -AioErrno.EPIPE;
            case ListenerHandle l -> -AioErrno.EPIPE; // as write(2) to a listening socket
            case null -> -AioErrno.EBADF;
            default -> -AioErrno.ENOTSOCK;
        };
        if (refused == 0) {
            refused = switch (source) {
                case FileHandle f when !f.directory -> 0;
                case null -> -AioErrno.EBADF;
                default -> -AioErrno.EINVAL; // a directory, socket or eventfd has no pages to send
            };
        }
        if (refused != 0 || request.length() == 0) {
            engine.complete(op, refused);
            return;
        }
        Send send = new Send((SocketHandle) target, (FileHandle) source, request.offset(),
                SendFileChecks.capped(request.length()));
        op.argument = send;
        sends.put(op, send);
        files.fileOperation(op, send.file);
    }

    /**
     * Worker: opens the send's channel and clamps its range to the file's size.
     *
     * @param send the send
     * @param fd   the file handle's descriptor, pinned while the worker runs
     * @return the bytes to send, 0 at the end of the file, or {@code -errno}
     */
    static int openOnWorker(Send send, int fd) {
        try {
            FileChannel channel = TransferChannels.open(fd);
            send.channel = channel;
            send.remaining = Math.max(0, Math.min(send.remaining, channel.size() - send.position));
            return (int) send.remaining;
        } catch (AioException e) {
            return -e.errno();
        } catch (IOException e) {
            return ErrnoMapping.result(e);
        }
    }

    /** Loop: the worker of a send is back, or will never run (withdrawn, refused); the file is still pinned. */
    void afterWorker(Op op) {
        Send send = sends.get(op);
        if (send == null) {
            return;
        }
        send.onWorker = false;
        if (op.done) {
            forget(op, send);
            return;
        }
        if (op.workerState() != Op.FINISHED) {
            if (op.casWorkerState(Op.PENDING, Op.CANCELLED)) {
                end(op, send, -AioErrno.ECANCELED);
            }
            return;
        }
        int count = op.workerResult;
        if (count <= 0) {
            end(op, send, count);
        } else if (send.stop || engine.closing || send.socket.isClosed() || send.file.isClosed()) {
            end(op, send, -AioErrno.ECANCELED);
        } else {
            op.canceller = cancelled -> {
                send.stop = true; // after the region being written; its completion gives the count
                return false;
            };
            writeNext(op, send);
        }
    }

    private void writeNext(Op op, Send send) {
        Region region = new Region(send.channel, send.position, Math.min(send.remaining, CHUNK));
        send.writing = region;
        send.socket.writeRegion(region).onComplete(ar -> {
            engine.enter();
            try {
                written(op, send, region, ar);
            } finally {
                engine.exit();
            }
        });
    }

    private void written(Op op, Send send, Region region, AsyncResult<Void> ar) {
        long moved = region.transferred();
        send.writing = null;
        send.sent += moved;
        send.position += moved;
        send.remaining -= moved;
        if (op.done) {
            // Completed early (a close); this region was the last Netty held.
            closeChannel(send);
            return;
        }
        if (ar.failed()) {
            end(op, send, send.sent > 0 ? (int) send.sent : SocketHandle.writeFailure(ar.cause()));
        } else if (send.remaining == 0 || send.stop || send.socket.isClosed() || send.file.isClosed()) {
            end(op, send, send.sent > 0 ? (int) send.sent : -AioErrno.ECANCELED);
        } else {
            writeNext(op, send);
        }
    }

    /** Completes a send whose region, if any, is over, and closes its channel. */
    private void end(Op op, Send send, int result) {
        closeChannel(send);
        forget(op, send);
        engine.complete(op, result);
    }

    private void forget(Op op, Send send) {
        sends.remove(op);
        Runnable release = releases.get(send.socket);
        if (release != null && !onWorker(send.socket)) {
            releases.remove(send.socket);
            release.run();
        }
    }

    private static void closeChannel(Send send) {
        if (send.channel != null && send.writing == null) {
            try {
                send.channel.close();
            } catch (IOException ignored) {
                // read-only: nothing was promised that a failed close could lose
            }
            send.channel = null;
        }
    }

    private boolean onWorker(SocketHandle socket) {
        for (Send s : sends.values()) {
            if (s.socket == socket && s.onWorker) {
                return true;
            }
        }
        return false;
    }

    /**
     * Loop: a handle is being closed (or the instance): the sends Netty writes for it complete now with the bytes
     * sent so far, or {@code -ECANCELED}; those whose worker is out complete when it is back.
     *
     * @param h the handle
     */
    void closing(AioHandle h) {
        List<Op> stopped = new ArrayList<>();
        sends.forEach((op, send) -> {
            if ((send.socket == h || send.file == h) && !send.onWorker) {
                stopped.add(op);
            }
        });
        for (Op op : stopped) {
            Send send = sends.get(op);
            long n = send.sentSoFar();
            forget(op, send);
            engine.complete(op, n > 0 ? (int) n : -AioErrno.ECANCELED);
        }
    }

    /**
     * Loop: a socket handle has been closed: runs {@code released} now, or, if a send on it waits for its worker,
     * once that send has completed, so that the close completes after it.
     *
     * @param socket   the socket
     * @param released what completes the close
     */
    void released(SocketHandle socket, Runnable released) {
        if (onWorker(socket)) {
            releases.put(socket, released);
        } else {
            released.run();
        }
    }
}
