package dev.aioops.uring.ring;

import dev.aioops.spi.AioErrno;

import java.lang.foreign.MemorySegment;

/**
 * One zero-copy send of a file range to a socket, as ring requests through a pipe this object owns:
 * {@code IORING_OP_SPLICE} from the file into the pipe (up to the pipe's capacity), then from the pipe into the socket
 * until the pipe is empty, chunk after chunk, until the range is sent, the file ends, or a request fails. It owns no
 * ring: {@link #encode} writes the next request, {@link #completed} takes its
 * result and says whether another follows, so that the uring adapter and a host's ring (Netty's, for Vert.x) drive
 * the same steps.
 *
 * <p><b>A full socket waits on poll, not on a kernel worker.</b> io_uring runs every splice on a worker of its
 * io-wq, where a splice into a socket whose send buffer is full waits for room; a peer that reads nothing would hold
 * that worker for good, and a handful of such peers all the workers the ring may have ({@code IOWQ_MAX_WORKERS}), so
 * that every other send waited behind them. So the socket's blocking sends give up after a short wait
 * ({@link SplicePipes#limitWait}): the splice returns what it moved, or {@code -EAGAIN}, and an
 * {@code IORING_OP_POLL_ADD} for {@code POLLOUT}, which holds no worker, comes before the next splice.
 *
 * <p><b>Two steps, not linked.</b> Exactly one request is in the ring at a time, under the send's one tag. A linked
 * pair ({@code IOSQE_IO_LINK}) would save a loop turn per chunk, but a file splice that is short (the end of the file,
 * a page that straddles the pipe's capacity) fails the link, so the socket splice would come back cancelled and the
 * pipe's bytes need a splice of their own anyway; and a cancel by tag would find only the request that runs, not the
 * one waiting in its link, while its owner could no longer stop the next chunk between the two. One request at a time
 * keeps the tag, the cancel and the owner's checks between steps exact; chunks of a whole pipe (1 MiB when the kernel
 * allows it) keep the extra turns few.
 *
 * <p><b>The pipe</b> is clean (empty) between sends: the socket splice is repeated until it has taken every byte the
 * file splice put in. A send that stops with bytes still in the pipe (a failure, a cancel) leaves it dirty
 * ({@link #clean()} false): its owner must close it, never reuse it ({@link SplicePipes#give}).
 *
 * <p>Loop thread only; allocation-free once made.
 */
public final class SpliceSend {

    private static final int FILL = 0;
    private static final int DRAIN = 1;
    private static final int POLL = 2;

    private final int pipeRead;
    private final int pipeWrite;
    private final int pipeSize;
    private int socketFd;
    private int fileFd;
    private long position;
    private long remaining;
    private long sent;
    private int inPipe;
    private int stage;
    private int error;

    SpliceSend(int pipeRead, int pipeWrite, int pipeSize) {
        this.pipeRead = pipeRead;
        this.pipeWrite = pipeWrite;
        this.pipeSize = pipeSize;
    }

    /**
     * Begins a send; {@link #encode} then writes its first request.
     *
     * @param socketFd the connected socket
     * @param fileFd   the file, open for reading
     * @param offset   the file position of the first byte
     * @param length   how many bytes, at least 1
     */
    public void start(int socketFd, int fileFd, long offset, int length) {
        this.socketFd = socketFd;
        this.fileFd = fileFd;
        this.position = offset;
        this.remaining = length;
        this.sent = 0;
        this.inPipe = 0;
        this.stage = FILL;
        this.error = 0;
    }

    /**
     * Writes the next request of the send.
     *
     * @param sqe      the segment holding the entry
     * @param base     the entry's offset in {@code sqe}
     * @param userData the completion's tag
     */
    public void encode(MemorySegment sqe, long base, long userData) {
        switch (stage) {
            case FILL -> SqeEncoder.splice(sqe, base, fileFd, position, pipeWrite, -1,
                    (int) Math.min(remaining, pipeSize), 0, userData);
            case DRAIN -> SqeEncoder.splice(sqe, base, pipeRead, -1, socketFd, -1, inPipe, 0, userData);
            default -> SqeEncoder.pollAdd(sqe, base, socketFd, UringLayout.POLLOUT, userData);
        }
    }

    /**
     * Takes the result of the request {@link #encode} wrote last.
     *
     * @param res its completion's result
     * @return {@code true} if another request follows; {@code false} if the send is over ({@link #result})
     */
    public boolean completed(int res) {
        switch (stage) {
            case FILL -> {
                if (res <= 0) {
                    error = res; // 0: the end of the file
                    return false;
                }
                inPipe = res;
                position += res;
                remaining -= res;
                stage = DRAIN;
                return true;
            }
            case DRAIN -> {
                if (res == -AioErrno.EAGAIN) {
                    stage = POLL; // a full send buffer that did not drain within the wait (or a non-blocking socket)
                    return true;
                }
                if (res <= 0) {
                    error = res == 0 ? -AioErrno.EIO : res; // a socket splice that moves nothing would repeat for ever
                    return false;
                }
                inPipe -= res;
                sent += res;
                if (inPipe > 0) {
                    stage = POLL; // the wait for room timed out (SplicePipes#limitWait): on poll, not on a worker
                    return true;
                }
                stage = FILL;
                return remaining > 0;
            }
            default -> {
                if (res < 0) {
                    error = res;
                    return false;
                }
                stage = DRAIN;
                return true;
            }
        }
    }

    /**
     * The send's result once it is over, or once its owner stops it between two requests.
     *
     * @param stopped whether the owner stopped it (a cancel, a close) rather than it ending by itself
     * @return the bytes that reached the socket when any did; else the failed request's {@code -errno}, or
     *         {@code -ECANCELED} when stopped, or 0 at the end of the file
     */
    public int result(boolean stopped) {
        if (sent > 0) {
            return (int) sent;
        }
        if (error != 0) {
            return error;
        }
        return stopped ? -AioErrno.ECANCELED : 0;
    }

    /** {@return whether the pipe is empty, so that it may carry the next send} */
    public boolean clean() {
        return inPipe == 0;
    }

    /** Closes the pipe. */
    void close() {
        LibC.close(pipeRead);
        LibC.close(pipeWrite);
    }
}
