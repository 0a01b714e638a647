package dev.aioops.vertx.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.internal.SendFileChecks;
import dev.aioops.uring.ring.RingOpcodes;
import dev.aioops.uring.ring.SpliceSend;
import dev.aioops.uring.ring.SplicePipes;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;

/**
 * The zero-copy sends of the shared ring: the io_uring adapter's steps ({@link SpliceSend}: {@code SPLICE} from the
 * file into a pipe this engine owns, then from the pipe into the socket, one request in Netty's ring at a time, under
 * the operation's token) and its pipe pool ({@link SplicePipes}). The socket is the operation's target, counted in
 * flight once for the whole send; the file is pinned in its {@link RingFiles.Memory} like a rename's second
 * directory, so closing either waits for the send. Closing either stops it: {@link #stop} cancels its request in the
 * ring (the file splice, on the pipe, is not found by the cancel by descriptor), and between two requests a send whose
 * handle is closing, or that was cancelled, completes with the bytes sent or {@code -ECANCELED}. Loop thread only.
 */
final class RingSendFiles {

    /** What {@link #step} returns when it submitted the send's next request. */
    static final int GOES_ON = Integer.MIN_VALUE;
    private static final int IDLE_PIPES = 16;

    private final MemorySegment sqe;
    private final BiConsumer<Op, RingFd> submit;
    private final ObjIntConsumer<Op> complete;
    private final Consumer<Op> cancel;
    private final RingFds fds;
    private final SplicePipes pipes;
    /** The sends in the ring: few, searched only when a handle closes. */
    private final List<Op> sending = new ArrayList<>();

    /**
     * @param sqe      the engine's SQE scratch (loop thread only), to encode into
     * @param submit   submits the encoded SQE, counting the target descriptor in flight (none with a null target)
     * @param complete completes an operation that never reached the ring
     * @param cancel   cancels an operation's request in the ring
     * @param fds      the engine's descriptors
     * @param memory   the engine's memory, for the pipe pool's scratch
     */
    RingSendFiles(MemorySegment sqe, BiConsumer<Op, RingFd> submit, ObjIntConsumer<Op> complete, Consumer<Op> cancel,
                  RingFds fds, Arena memory) {
        this.sqe = sqe;
        this.submit = submit;
        this.complete = complete;
        this.cancel = cancel;
        this.fds = fds;
        this.pipes = new SplicePipes(memory, IDLE_PIPES);
    }

    /** Loop: starts a send; what would differ per handle kind is refused as in the io_uring adapter. */
    void start(Op op) {
        SendFileRequest request = (SendFileRequest) op.argument;
        RingFd socket = fds.get(op.handle);
        RingFd file = fds.get(request.fileHandle());
        int refused = socket == null || socket.closing ? -AioErrno.EBADF
                : socket.kind == RingFd.Kind.LISTENER ? -AioErrno.EPIPE
                : socket.kind != RingFd.Kind.SOCKET ? -AioErrno.ENOTSOCK
                : file == null || file.closing ? -AioErrno.EBADF
                : file.kind != RingFd.Kind.FILE ? -AioErrno.EINVAL
                : request.length() == 0 ? 0
                : !RingOpcodes.has(UringLayout.OP_SPLICE) || !RingOpcodes.has(UringLayout.OP_POLL_ADD)
                ? -AioErrno.EOPNOTSUPP : 1;
        if (refused <= 0) {
            complete.accept(op, refused);
            return;
        }
        SpliceSend send = pipes.take();
        if (send == null) {
            complete.accept(op, pipes.failure());
            return;
        }
        pipes.limitWait(socket.fd); // fails only for what the splice reports itself
        RingFiles.Memory pinned = new RingFiles.Memory();
        pinned.second = file;
        pinned.target = send;
        op.resource = pinned;
        file.inFlight++;
        send.start(socket.fd, file.fd, request.offset(), SendFileChecks.capped(request.length()));
        send.encode(sqe, 0, op.token);
        sending.add(op);
        submit.accept(op, socket);
    }

    /**
     * Loop: the completion of a send's request: submits the next one, or ends the send.
     *
     * @param op  the send
     * @param res the request's result
     * @return {@link #GOES_ON}, or the send's result
     */
    int step(Op op, int res) {
        RingFiles.Memory pinned = (RingFiles.Memory) op.resource;
        SpliceSend send = (SpliceSend) pinned.target;
        boolean more = send.completed(res);
        boolean stopped = op.cancelRequested || op.target instanceof RingFd socket && socket.closing
                || pinned.second.closing;
        if (more && !stopped) {
            send.encode(sqe, 0, op.token);
            // The target is counted once for the whole send; a refusal finishes the send inside this call.
            submit.accept(op, null);
            return GOES_ON;
        }
        sending.remove(op);
        pipes.give(send);
        int result = send.result(stopped);
        // A kernel worker interrupted by the cancel reports EINTR; to the caller the send was cancelled.
        return result == -AioErrno.EINTR && stopped ? -AioErrno.ECANCELED : result;
    }

    /**
     * Loop: a handle is being closed: every send that uses it is cancelled in the ring.
     *
     * @param f the handle's descriptor, marked closing
     */
    void stop(RingFd f) {
        for (Op op : sending.toArray(Op[]::new)) {
            if (op.target == f || ((RingFiles.Memory) op.resource).second == f) {
                cancel.accept(op);
            }
        }
    }

    /** Loop, when the engine releases its ring: closes the idle pipes (those in flight close when they end). */
    void close() {
        pipes.close();
    }
}
