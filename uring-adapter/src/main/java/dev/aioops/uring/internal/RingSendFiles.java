package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.internal.SendFileChecks;
import dev.aioops.uring.ring.SpliceSend;
import dev.aioops.uring.ring.SplicePipes;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The zero-copy sends of a file to a socket: {@code IORING_OP_SPLICE} through a pipe the loop owns, one request in
 * the ring at a time ({@link SpliceSend}), under one op slot and token, driven from each completion to the next
 * request until the range is sent, the file ends or a request fails (see {@link SpliceSend} for why the two splices
 * are not linked). Its completion gives the bytes that reached the socket.
 *
 * <p>A send pins both its handles (their in-flight counts; the socket in the slot's {@code fd}, the file in its
 * {@code aux}), so closing either waits for it. Closing the socket cancels the request on it by descriptor, as for
 * every operation; but the file splice's descriptor is the pipe, so {@link #stop} cancels a send by its token when
 * either of its handles is being closed. Between two requests a send stops when it was cancelled, when either handle
 * is closing or when the instance is: it then completes with the bytes sent, or {@code -ECANCELED}.
 *
 * <p>The pipes ({@link SplicePipes}) are made on the loop and kept, a few, for later sends; one left holding bytes
 * after a failure or a cancel is closed, never reused. Loop thread only; a send allocates nothing once the pool holds
 * a pipe and the loop has seen as many sends at once before.
 */
final class RingSendFiles {

    /** What {@link #step} returns when it submitted the send's next request under the same slot. */
    static final int GOES_ON = Integer.MIN_VALUE;
    /** Idle pipes kept for later sends. */
    private static final int IDLE_PIPES = 16;

    private final UringLoop loop;
    private final RingOperations ops;
    private final OpSlots slots;
    private final FdTable fds;
    private final RingDriver driver;
    private final MemorySegment sqes;
    private final OpcodeSupport kernel;
    private final SplicePipes pipes;
    /** The slots of the sends in flight, in {@code [0, active)}: few, searched only when a handle closes. */
    private int[] sending = new int[16];
    private int active;

    RingSendFiles(UringLoop loop, RingOperations ops, OpSlots slots, FdTable fds, OpcodeSupport kernel,
                  Arena memory) {
        this.loop = loop;
        this.ops = ops;
        this.slots = slots;
        this.fds = fds;
        this.driver = loop.driver();
        this.sqes = driver.sqes();
        this.kernel = kernel;
        this.pipes = new SplicePipes(memory, IDLE_PIPES);
    }

    /**
     * A send. What the kernel would answer differently per handle kind, or accept where the contract refuses, is
     * refused here: a file, directory or eventfd as the socket ({@code -ENOTSOCK}; a splice into a file would work),
     * a listener ({@code -EPIPE}, as a write to one), anything but a file as the file ({@code -EINVAL}).
     */
    long sendFile(int socketHandle, int fileHandle, long offset, long length, Object attachment,
                  AioCompletion<Object> completion, long remote) {
        FdTable.Entry socket = fds.get(socketHandle);
        FdTable.Entry file = fds.get(fileHandle);
        int refused = socket == null || socket.closing ? -AioErrno.EBADF
                : socket.kind == FdTable.LISTENER ? -AioErrno.EPIPE
                : socket.kind != FdTable.SOCKET ? -AioErrno.ENOTSOCK
                : file == null || file.closing ? -AioErrno.EBADF
                : file.kind != FdTable.FILE ? -AioErrno.EINVAL
                : length == 0 ? 0
                : !kernel.has(UringLayout.OP_SPLICE) || !kernel.has(UringLayout.OP_POLL_ADD) ? -AioErrno.EOPNOTSUPP
                : 1;
        if (refused <= 0) {
            return ops.completeNow(refused, attachment, completion, remote);
        }
        SpliceSend send = pipes.take();
        if (send == null) {
            return ops.completeNow(pipes.failure(), attachment, completion, remote);
        }
        pipes.limitWait(socket.fd); // fails only for what the splice reports itself
        int s = slots.alloc(OpSlots.SENDFILE, socketHandle, attachment, completion, send);
        slots.aux[s] = fileHandle;
        socket.inflight++;
        file.inflight++;
        send.start(socket.fd, file.fd, offset, SendFileChecks.capped(length));
        send.encode(sqes, driver.sqe(), slots.token(s));
        if (active == sending.length) {
            sending = Arrays.copyOf(sending, active * 2);
        }
        sending[active++] = s;
        return ops.track(s, remote);
    }

    /** The arguments of a send submitted on another thread, replayed on the loop. */
    record Range(int fileHandle, long offset, long length) {
    }

    /** A send submitted on another thread, replayed on the loop with the token its submitter was given. */
    long sendFile(int socketHandle, Range range, Object attachment, AioCompletion<Object> completion, long remote) {
        return sendFile(socketHandle, range.fileHandle(), range.offset(), range.length(), attachment, completion,
                remote);
    }

    /**
     * The completion of a send's request: submits the next one, or ends the send.
     *
     * @param s   the send's slot
     * @param res the request's result
     * @return {@link #GOES_ON}, or the send's result
     */
    int step(int s, int res) {
        SpliceSend send = (SpliceSend) slots.keep[s];
        boolean more = send.completed(res);
        boolean stopped = slots.cancelled[s] || loop.isClosing() || closing(slots.handle[s]) || closing(slots.aux[s]);
        if (more && !stopped) {
            send.encode(sqes, driver.sqe(), slots.token(s));
            return GOES_ON;
        }
        forget(s);
        pipes.give(send);
        return send.result(stopped);
    }

    /** The file a send pinned besides its socket, whose in-flight count its completion gives back. */
    FdTable.Entry fileOf(int aux) {
        return fds.get(aux);
    }

    private boolean closing(int handle) {
        FdTable.Entry e = fds.get(handle);
        return e == null || e.closing;
    }

    private void forget(int s) {
        for (int i = 0; i < active; i++) {
            if (sending[i] == s) {
                sending[i] = sending[--active];
                return;
            }
        }
    }

    /**
     * A handle is being closed: every send that uses it stops, its request in the ring cancelled by token (a file
     * splice, whose descriptor is the pipe, is not found by the cancel by descriptor).
     *
     * @param e the handle, marked closing
     */
    void stop(FdTable.Entry e) {
        for (int i = 0; i < active; i++) {
            int s = sending[i];
            if (fds.get(slots.handle[s]) == e || fds.get(slots.aux[s]) == e) {
                slots.cancelled[s] = true;
                SqeEncoder.cancel(sqes, driver.sqe(), slots.token(s), UserData.IGNORE);
            }
        }
    }

    /** Instance close: closes the idle pipes; those of sends still in the kernel close when they end. */
    void closeIdle() {
        pipes.close();
    }

    /** For tests: the pipes kept for later sends. */
    int idlePipes() {
        return pipes.idle();
    }
}
