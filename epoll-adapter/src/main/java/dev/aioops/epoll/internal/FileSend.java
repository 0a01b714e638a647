package dev.aioops.epoll.internal;

import dev.aioops.linux.internal.TransferChannels;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.internal.ErrnoMapping;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The state of one zero-copy send ({@link SendFileDriver}) and its step on a file-pool thread:
 * {@code FileChannel.transferTo} (the JDK's {@code sendfile(2)}) to the non-blocking socket, in chunks, until the
 * range is sent, the file ends, the socket's send buffer is full ({@link #blocked}: the loop then waits for
 * writability and hands the send to the pool again), a call fails, or the loop asked it to {@link #stop}.
 *
 * <p>The {@link FileChannel} is a second descriptor of the file ({@link TransferChannels}), opened by the first step
 * and closed when the send is over: by the step that ends it, or by the loop when it ends the send between steps
 * (no thread uses it then). The fields a step writes are read by the loop after the step came back through the
 * inbox, which orders them.
 */
final class FileSend {

    /** The most one {@code transferTo} asks for, so that a stop is seen between two calls. */
    private static final long CHUNK = 1 << 20;
    /** Who closes the socket's channel should the instance close while a step runs: see {@link #leaveSocket}. */
    private static final int LOOP = 0;
    private static final int POOL = 1;
    private static final int LEFT = 2;

    final SocketResource socket;
    final FileResource file;
    private final AtomicInteger socketHolder = new AtomicInteger(LOOP);
    private FileChannel channel;
    private long position;
    private long remaining;
    private long sent;
    private int error;
    /** After a step: the socket's send buffer filled before the range was sent. */
    boolean blocked;
    /** Set by the loop: the send is cancelled, or a handle it uses is closing; a running step stops soon. */
    volatile boolean stop;
    /** Loop: waiting for the socket to be writable, between two steps. */
    boolean waiting;

    FileSend(SocketResource socket, FileResource file, long offset, int length) {
        this.socket = socket;
        this.file = file;
        this.position = offset;
        this.remaining = length;
    }

    /** Loop, before handing the step to the pool. */
    void toPool() {
        socketHolder.set(POOL);
    }

    /**
     * Pool thread: sends what the socket takes now.
     *
     * @return the send's result, should this step be its last: what {@link #result()} gives
     */
    int step() {
        blocked = false;
        try {
            if (channel == null && !stop) {
                channel = TransferChannels.open(file.fd);
            }
            while (remaining > 0 && !stop) {
                long n = channel.transferTo(position, Math.min(remaining, CHUNK), socket.channel);
                if (n > 0) {
                    position += n;
                    remaining -= n;
                    sent += n;
                } else {
                    // 0 is the end of the file, or a full send buffer (sendfile's EAGAIN on a non-blocking socket).
                    blocked = position < channel.size();
                    break;
                }
            }
        } catch (AioException e) {
            error = -e.errno();
        } catch (ClosedChannelException e) {
            error = -AioErrno.EPIPE; // the output was shut down meanwhile; the channel is closed only after this
        } catch (IOException | RuntimeException e) {
            error = ErrnoMapping.result(e);
        }
        if (!blocked || stop) {
            closeChannel();
        }
        if (!socketHolder.compareAndSet(POOL, LOOP)) {
            // The instance closed while this step ran and left the socket to this thread (leaveSocket).
            Quietly.close(socket.channel);
        }
        return result();
    }

    /** Whether a step that came back ended the send: nothing more to send, or it must stop. */
    boolean over() {
        return !blocked || stop;
    }

    /** The bytes that reached the socket when any did; else the errno, {@code -ECANCELED} when stopped, or 0. */
    int result() {
        if (sent > 0) {
            return (int) sent;
        }
        if (error != 0) {
            return error;
        }
        return stop ? -AioErrno.ECANCELED : 0;
    }

    /** Closes the file channel; idempotent. By the loop only between steps. */
    void closeChannel() {
        Quietly.close(channel);
        channel = null;
    }

    /**
     * Closing thread, at instance close, when this send's step may still run on a pool thread that did not come
     * back in time: the socket's channel cannot be closed under it (a non-blocking close waits for the JDK's write
     * lock, which {@code transferTo} holds), so the step closes it when it returns.
     *
     * @return {@code true} if the running step closes the socket; {@code false} if no step runs and the caller must
     */
    boolean leaveSocket() {
        return socketHolder.compareAndSet(POOL, LEFT);
    }
}
