package dev.aioops.vertx.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioCloseTimeoutException;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.internal.ErrnoMapping;
import dev.aioops.uring.ring.LibC;
import dev.aioops.uring.ring.RingOpcodes;
import dev.aioops.uring.ring.Sockaddrs;
import dev.aioops.uring.ring.Sockets;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;
import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.uring.IoUringIoEvent;
import io.netty.channel.uring.IoUringIoHandle;
import io.vertx.core.Context;
import io.vertx.core.Timer;
import io.vertx.core.internal.ContextInternal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Runs one {@code AioOperations} on the io_uring of the context's own Netty 4.2 {@code IoEventLoop} (the
 * shared-ring mode): the engine registers an {@link IoUringIoHandle} with the event loop and submits each
 * operation as one submission entry of that ring, encoded by the io_uring adapter's {@link SqeEncoder}; Netty
 * hands the completion back to the handle on the event-loop thread, which is the context's thread. No extra
 * thread, no hop, and files without a worker pool.
 *
 * <p>Handles name descriptors of this instance, with a generation ({@link RingFds}). Sockets are read and written with
 * {@code RECV}/{@code SEND} ({@code MSG_NOSIGNAL}), one read of a socket in the ring at a time (see
 * {@link RingFd}); datagram sockets with {@code RECVMSG}/{@code SENDMSG} ({@link RingDatagrams}); files and eventfds
 * with {@code READ}/{@code WRITE}. Eventfds are kernel eventfds
 * ({@code EFD_NONBLOCK}, so that a waiting read is armed by the ring rather than parked in a kernel worker);
 * {@link #signal} writes them from the calling thread. Timeouts are scheduled tasks of the event loop (Netty arms
 * one ring timeout for the nearest). A listening socket is set up with plain, non-blocking system calls on the
 * loop ({@code socket}, {@code bind}, {@code listen}: once per listener, never per connection); an accepted
 * connection costs no system call beyond its accept and {@code TCP_NODELAY} (its local address is asked of the
 * kernel only if {@link #localAddress} wants it). Everything else goes through the ring.
 *
 * <p><b>Closing.</b> One cancel per descriptor ({@code ASYNC_CANCEL_FD | ALL}) and one per descriptor-less
 * operation in the ring (opens, connects); timers and queued socket reads complete with {@code -ECANCELED} at
 * once, so closing is linear in what is pending. Operations without a caller buffer complete at once; reads and
 * writes when the kernel has given their buffer back, so a close called on the loop returns before those have
 * completed. When {@link AioConfig#closeTimeout()} passes with operations still in the ring, close reports an
 * {@link AioCloseTimeoutException} to the error handler and returns without completing them: each completes
 * once, on the event-loop thread, when its ring completion arrives; the registration, this engine's memory, the
 * buffer pool and the descriptors they use are kept until the last one has, and an owned Vert.x instance is
 * closed only then.
 */
public final class RingEngine extends ContextEngine {

    /** The user data of the engine's own cancel requests, whose completions are ignored. */
    private static final long INTERNAL = Long.MAX_VALUE;

    private final IoRegistration registration;
    /** The path of every entry to the ring; a test replaces it to inject failures or capture entries. */
    RingSubmissions.Submitter submitter;
    private final Arena arena = Arena.ofShared();
    /** Scratch memory of the loop thread: one submission entry, errno capture, a setsockopt value. */
    private final MemorySegment sqe;
    private final MemorySegment errno;
    /** {@link Sockets#SCRATCH_SIZE} bytes for the socket calls of {@link Sockets}. */
    private final MemorySegment scratch;
    private final RingFds fds = new RingFds();
    private final RingFiles files;
    private final RingSockets sockets;
    private final RingTransfers transfers;
    private final RingDatagrams datagrams;
    private final RingSendFiles sendFiles;
    /** Operations already completed (at close) whose ring completion is still due, by token. Loop only. */
    private final Map<Long, Op> orphans = new HashMap<>();
    /** Descriptors to close when the instance terminates: none is closed earlier, lest a peer see EOF. */
    private final List<RingFd> releaseAtEnd = new ArrayList<>();
    private Runnable whenDrained;
    private volatile int openHandles;

    /**
     * Registers an engine with the io_uring of a context's event loop.
     *
     * @param context      the context every completion runs on; {@link RingSubmissions#runsOnIoUring} and no
     *                     {@link RingSubmissions#missingApi}
     * @param ownership    whether {@link #close()} also closes the context's Vert.x instance
     * @param hosted       whether to close with the context
     * @param config       the configuration
     * @param onTerminated run once when closing has finished
     */
    public RingEngine(Context context, VertxOwnership ownership, boolean hosted, AioConfig config, Runnable onTerminated) {
        super(context, ownership, hosted, config, onTerminated);
        this.sqe = arena.allocate(UringLayout.SQE_SIZE, 64);
        this.errno = LibC.newErrnoState(arena);
        this.scratch = arena.allocate(Sockets.SCRATCH_SIZE, 8);
        IoEventLoop loop = (IoEventLoop) this.context.nettyEventLoop();
        this.registration = loop.register(new Handle()).syncUninterruptibly().getNow();
        this.submitter = registration::submit;
        this.files = new RingFiles(sqe, this::submit, this::complete, fds, RingOpcodes::has);
        this.sockets = new RingSockets(sqe, this::submit, this::complete, fds);
        this.transfers = new RingTransfers(sqe, this::submit, this::complete, fds);
        this.datagrams = new RingDatagrams(arena, sqe, errno, scratch, this::submit, this::complete, fds,
                fd -> register(fd, RingFd.Kind.DATAGRAM, false));
        this.sendFiles = new RingSendFiles(sqe, this::submit, this::complete, this::cancelOnLoop, fds, arena);
        registerCloseHook();
    }

    /** Receives this engine's completions from Netty, on the event-loop thread. */
    private final class Handle implements IoUringIoHandle {
        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            IoUringIoEvent e = (IoUringIoEvent) event;
            // Netty calls this on the event-loop thread but outside any Vert.x context: make the bound context
            // current, so that completions see Vertx.currentContext() as on any Vert.x callback.
            ContextInternal previous = context.beginDispatch();
            try {
                ringCompleted(e.userData(), e.res());
            } finally {
                context.endDispatch(previous);
            }
        }

        @Override
        public void close() {
            // The registration is cancelled by the engine once nothing is in flight.
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Submitting.

    /** Hands the entry in {@link #sqe} to Netty's ring, tagged with {@code userData}. */
    private long submitEntry(long userData) {
        return submitter.submit(RingSubmissions.toIoOps(sqe, userData));
    }

    /** Loop: closing gave up waiting for the ring; what the kernel still uses is kept until it comes back. */
    private boolean timedOut;

    private void submit(Op op, RingFd target) {
        boolean linked = op.deadlineNanos > 0;
        if (linked && !RingOpcodes.has(UringLayout.OP_LINK_TIMEOUT)) {
            finish(op, -AioErrno.EOPNOTSUPP);
            return;
        }
        try {
            if (linked) {
                Deadlines.link(sqe);
            }
            op.kernelId = submitEntry(op.token);
        } catch (RuntimeException | LinkageError e) {
            // Nothing reached the ring (SQ full and not flushable, io_uring_enter failed, ring closed): settle it
            // as its completion would have been, before the handle counted it, so that close(handle) is not held.
            if (e instanceof LinkageError) {
                errorHandler.accept(e);
            }
            finish(op, ErrnoMapping.result(e));
            return;
        }
        if (linked && op.kernelId != 0) {
            linkTimeout(op);
        }
        // Counted only once the ring took it.
        if (target != null) {
            op.target = target;
            target.inFlight++;
        }
        if (op.kernelId == 0) {
            // Netty refused it (its loop is shutting down): nothing reached the kernel, so settle it now, as its
            // completion would have been (scratch memory freed, a connecting socket closed, the handle released).
            finish(op, -AioErrno.ECANCELED);
        }
    }

    /**
     * The {@code IORING_OP_LINK_TIMEOUT} right behind an operation's linked entry, in the same loop turn, so that
     * Netty submits both together. Should the ring refuse it, the operation (already in the ring) runs without its
     * deadline; it must not be settled as if it had not reached the ring.
     */
    private void linkTimeout(Op op) {
        try {
            Deadlines.encodeTimeout(sqe, op, INTERNAL);
            submitEntry(INTERNAL);
        } catch (RuntimeException e) {
            errorHandler.accept(e);
        }
    }

    @Override
    void dispatch(Op op) {
        switch (op.kind) {
            case READ, WRITE, READV, WRITEV -> transfers.start(op);
            case FSYNC -> onFd(op, f -> SqeEncoder.fsync(sqe, 0, f.fd, 0, op.token));
            case LISTEN -> complete(op, listen((ListenRequest) op.argument, (int) op.offset));
            case ACCEPT -> onFd(op, f -> SqeEncoder.accept(sqe, 0, f.fd, 0, 0, UringLayout.SOCK_CLOEXEC,
                    op.token));
            case CONNECT -> connect(op);
            case CLOSE -> closeHandle(op);
            case EVENTFD -> eventfd(op);
            case TIMEOUT -> timeout(op);
            case OPEN, STAT, FSTAT, FDATASYNC, FTRUNCATE, FALLOCATE, UNLINK, RENAME, MKDIR -> files.start(op);
            case SHUTDOWN -> sockets.shutdown(op);
            case DATAGRAM_OPEN, SEND_TO, RECEIVE -> datagrams.start(op);
            case SENDFILE -> sendFiles.start(op);
        }
    }

    /** Encodes an operation on one of this instance's descriptors and submits it, or completes with EBADF. */
    private void onFd(Op op, java.util.function.Consumer<RingFd> encode) {
        RingFd f = fds.get(op.handle);
        if (f == null || f.closing) {
            complete(op, -AioErrno.EBADF);
            return;
        }
        encode.accept(f);
        submit(op, f);
    }

    /** Loop: a listening socket, with plain system calls (they do not block). */
    private int listen(ListenRequest request, int backlog) {
        int fd = Sockets.listen(errno, scratch, request.address(), backlog, request.options());
        return fd < 0 ? fd : register(fd, RingFd.Kind.LISTENER, request.address() instanceof UnixDomainSocketAddress);
    }

    private void connect(Op op) {
        SocketAddress address = (SocketAddress) op.argument;
        int fd = Sockets.stream(errno, address);
        if (fd < 0) {
            complete(op, fd);
            return;
        }
        Arena memory = Arena.ofConfined();
        op.resource = memory;
        op.intArgument = fd;
        MemorySegment target = memory.allocate(Sockaddrs.MAX_SIZE, 8);
        int length = Sockaddrs.encode(address, target, 0);
        SqeEncoder.connect(sqe, 0, fd, target.address(), length, op.token);
        submit(op, null);
    }

    private void eventfd(Op op) {
        int fd = LibC.eventfd(errno, (int) op.offset, UringLayout.EFD_NONBLOCK | UringLayout.EFD_CLOEXEC);
        complete(op, fd < 0 ? fd : register(fd, RingFd.Kind.EVENTFD, false));
    }

    private void timeout(Op op) {
        if (op.offset == 0) {
            // As in the uring adapter: a NOP completes with 0 in SQ order, without an hrtimer and its wake-up.
            SqeEncoder.nop(sqe, 0, op.token);
            submit(op, null);
            return;
        }
        // A scheduled task of the event loop (Netty arms one ring timeout for the nearest), not one kernel timeout
        // each: the kernel finds a timeout to cancel by walking its list, so cancelling n of them at close took
        // time quadratic in n; the loop's queue cancels one in O(log n) and close cancels them all in O(n log n).
        Timer timer = context.timer(op.offset, TimeUnit.NANOSECONDS);
        op.resource = timer;
        timer.onComplete(ar -> {
            if (ar.succeeded()) {
                complete(op, 0);
            }
        });
    }

    private void closeHandle(Op op) {
        RingFd f = fds.remove(op.handle);
        if (f == null || f.closing) {
            complete(op, -AioErrno.EBADF);
            return;
        }
        openHandles = fds.size();
        f.closing = true;
        cancelQueuedReads(f);
        sendFiles.stop(f);
        if (f.inFlight == 0) {
            f.release();
            complete(op, 0);
        } else {
            f.closeOp = op;
            SqeEncoder.cancelFd(sqe, 0, f.fd, INTERNAL);
            submitEntry(INTERNAL);
        }
    }

    /** Loop: completes the reads waiting behind a socket's read in the ring; none of them reached the kernel. */
    private void cancelQueuedReads(RingFd f) {
        Op queued;
        while ((queued = f.queuedReads.poll()) != null) {
            complete(queued, -AioErrno.ECANCELED);
        }
    }

    @Override
    void cancelOnLoop(Op op) {
        op.cancelRequested = true;
        if (op.resource instanceof Timer timer) {
            if (timer.cancel()) {
                complete(op, -AioErrno.ECANCELED);
            }
        } else if (op.kernelId == 0 && fds.get(op.handle) instanceof RingFd f && f.queuedReads.remove(op)) {
            complete(op, -AioErrno.ECANCELED);
        } else if (op.kernelId != 0 && op.kind != Op.Kind.CLOSE) {
            SqeEncoder.cancel(sqe, 0, op.kernelId, INTERNAL);
            submitEntry(INTERNAL);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Completing.

    private void ringCompleted(long userData, int res) {
        if (userData == INTERNAL) {
            return;
        }
        enter();
        try {
            Op orphan = orphans.remove(userData);
            if (orphan != null) {
                settleOrphan(orphan, res);
            } else {
                Op op = pending.get(userData);
                if (op != null) {
                    finish(op, res);
                }
            }
        } finally {
            exit();
        }
        if ((whenDrained != null || timedOut) && pending.isEmpty() && orphans.isEmpty()) {
            Runnable done = whenDrained;
            whenDrained = null;
            releaseRing();
            if (done != null) {
                done.run();
            } else {
                // After a close that timed out: the last held operation came back.
                timedOut = false;
                kernelLetGo();
            }
        }
    }

    private void finish(Op op, int res) {
        if (op.kind == Op.Kind.SENDFILE && (res = sendFiles.step(op, res)) == RingSendFiles.GOES_ON) {
            return;
        }
        if (op.resource instanceof AutoCloseable memory) {
            closeMemory(memory);
        }
        int result = Deadlines.result(op, res, closing || op.target instanceof RingFd t && t.closing);
        switch (op.kind) {
            case TIMEOUT -> result = res == -AioErrno.ETIME ? 0 : res;
            case OPEN -> result = res < 0 ? res : adopt(res, RingFiles.openedKind(op), false);
            case ACCEPT -> result = result < 0 ? result : adopt(res, RingFd.Kind.SOCKET, ((RingFd) op.target).unix);
            case CONNECT -> {
                if (result == 0) {
                    boolean unix = op.argument instanceof UnixDomainSocketAddress;
                    result = adopt(op.intArgument, RingFd.Kind.SOCKET, unix);
                } else {
                    LibC.close(op.intArgument);
                }
            }
            default -> { }
        }
        RingFd f = (RingFd) op.target;
        complete(op, result);
        if (op.resource instanceof RingFiles.Memory m && m.second != null) {
            returned(m.second);
        }
        if (f != null) {
            returned(f);
            if (op.kind.reads() && f.isStream()) {
                f.readInRing = false;
                Op next = f.closing ? null : f.queuedReads.poll();
                if (next != null) {
                    transfers.start(next);
                }
            }
        }
    }

    private static void closeMemory(AutoCloseable memory) {
        try {
            memory.close();
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible); // an Arena's close throws nothing checked
        }
    }

    /** A new descriptor from the ring: kept, or closed if this instance no longer wants it. */
    private int adopt(int fd, RingFd.Kind kind, boolean unix) {
        if (closing) {
            LibC.close(fd);
            return -AioErrno.ECANCELED;
        }
        if (kind == RingFd.Kind.SOCKET && !unix) {
            Sockets.noDelay(errno, scratch, fd);
        }
        return register(fd, kind, unix);
    }

    private int register(int fd, RingFd.Kind kind, boolean unix) {
        int handle = fds.adopt(fd, kind, unix);
        openHandles = fds.size();
        return handle;
    }

    /** Loop: an operation on {@code f} has come back from the ring. */
    private void returned(RingFd f) {
        f.inFlight--;
        if (f.closing && f.inFlight == 0) {
            if (closing) {
                // While the instance closes, a connection closed now could end a peer's read (in this
                // instance) with EOF before its cancellation is processed; close them all at the end.
                releaseAtEnd.add(f);
            } else {
                f.release();
            }
            if (f.closeOp != null) {
                Op close = f.closeOp;
                f.closeOp = null;
                complete(close, 0);
            }
        }
    }

    private void settleOrphan(Op op, int res) {
        if (op.resource instanceof AutoCloseable memory) {
            closeMemory(memory);
        }
        if (op.resource instanceof RingFiles.Memory m && m.second != null) {
            returned(m.second);
        }
        if (res >= 0 && (op.kind == Op.Kind.OPEN || op.kind == Op.Kind.ACCEPT)) {
            LibC.close(res);
        } else if (op.kind == Op.Kind.CONNECT) {
            LibC.close(op.intArgument);
        }
        if (op.target instanceof RingFd f) {
            returned(f);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Any thread.

    @Override
    public boolean signal(int handle, long n) {
        return fds.get(handle) instanceof RingFd f && f.signal(n);
    }

    @Override
    public SocketAddress localAddress(int handle) throws AioException {
        RingFd f = fds.get(handle);
        if (f == null || f.closing) {
            throw new AioException(AioErrno.EBADF, "localAddress(" + handle + ")");
        }
        if (!f.isSocket()) {
            throw new AioException(AioErrno.ENOTSOCK, "localAddress(" + handle + ")");
        }
        SocketAddress local = f.localAddress();
        if (local == null) {
            throw new AioException(AioErrno.EBADF, "localAddress(" + handle + ")");
        }
        return local;
    }

    /** {@return the synchronous socket calls (options, peer address), for any thread} */
    public SocketCalls sockets() {
        return sockets;
    }

    /**
     * Any thread: the descriptor of a handle ({@code RAW_FD}).
     *
     * @param handle a handle of this engine
     * @return its descriptor
     * @throws AioException with {@code EBADF} for a handle that is unknown, stale or being closed
     */
    public int fileDescriptor(int handle) throws AioException {
        return fds.fileDescriptor(handle);
    }

    /** The descriptor behind a handle, or null; for tests. */
    RingFd descriptor(int handle) {
        return fds.get(handle);
    }

    @Override
    public int openHandles() {
        return openHandles;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Closing.

    @Override
    void shutdown(Runnable done) {
        enter();
        try {
            for (RingFd f : fds.entries()) {
                fds.remove(f.handle);
                f.closing = true;
                cancelQueuedReads(f);
                if (f.inFlight == 0) {
                    releaseAtEnd.add(f);
                } else {
                    // One cancel per descriptor (ASYNC_CANCEL_FD | ALL), not one per operation.
                    SqeEncoder.cancelFd(sqe, 0, f.fd, INTERNAL);
                    submitEntry(INTERNAL);
                }
            }
            openHandles = 0;
            for (Op op : pending.toArray()) {
                if (op.done) {
                    continue;
                }
                if (op.resource instanceof Timer timer) {
                    timer.cancel();
                    complete(op, -AioErrno.ECANCELED);
                } else if (op.kernelId != 0 && !op.kind.transfers()) {
                    orphan(op);
                }
            }
        } finally {
            exit();
        }
        if (pending.isEmpty() && orphans.isEmpty()) {
            releaseRing();
            done.run();
        } else {
            whenDrained = done;
            context.setTimer(Math.max(1, closeTimeout.toMillis()), id -> closeTimedOut());
        }
    }

    /** No caller buffer in the kernel's hands: complete now, settle the ring's completion later. */
    private void orphan(Op op) {
        if (op.target == null) {
            // Descriptor-less (open, connect, NOP): its own cancel; those of a descriptor went with its fd's.
            SqeEncoder.cancel(sqe, 0, op.kernelId, INTERNAL);
            submitEntry(INTERNAL);
        }
        Op orphan = new Op(this, op.kind, op.token, null, null);
        orphan.resource = op.resource;
        orphan.intArgument = op.intArgument;
        orphan.target = op.target;
        orphans.put(op.token, orphan);
        op.resource = null;
        complete(op, -AioErrno.ECANCELED);
    }

    /**
     * Loop: the close timeout passed with operations still in the ring. They are not completed (the kernel may
     * still write their buffers): reported, left pending, and completed by their own ring completions later;
     * the registration, this engine's memory, the pool and the descriptors they use stay until then.
     */
    private void closeTimedOut() {
        if (whenDrained == null) {
            return;
        }
        Runnable done = whenDrained;
        whenDrained = null;
        timedOut = true;
        if (!pending.isEmpty()) {
            errorHandler.accept(new AioCloseTimeoutException("vertx", pending.size(), closeTimeout,
                    Op.describe(pending.toArray())));
        }
        // Idle descriptors need not wait for the held operations.
        for (RingFd f : releaseAtEnd) {
            f.release();
        }
        releaseAtEnd.clear();
        closedWithOperationsHeld();
        done.run();
    }

    /** Loop: nothing of this engine is in the ring any more: closes its descriptors and frees its memory. */
    private void releaseRing() {
        fds.forEach(RingFd::release);
        for (RingFd f : releaseAtEnd) {
            f.release();
        }
        releaseAtEnd.clear();
        fds.clear();
        sendFiles.close();
        registration.cancel();
        arena.close();
    }
}
