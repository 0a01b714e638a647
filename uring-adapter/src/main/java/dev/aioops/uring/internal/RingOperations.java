package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.internal.SlabBufferPool;
import dev.aioops.spi.internal.SocketChecks;
import dev.aioops.uring.ring.LibC;
import dev.aioops.uring.ring.Sockaddrs;
import dev.aioops.uring.ring.Sockets;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.HashMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The operations of {@link UringAioOperations} as ring requests, one method each (after liburing's
 * {@code io_uring_prep_*} and Netty's {@code IoOps}): each checks its handle, takes an op slot ({@link OpSlots}),
 * picks its opcode and writes its SQE with {@link SqeEncoder}; {@link #complete} does an operation's follow-up
 * when its CQE arrives (a new handle into the table, the result mapping) and runs its completion. Adding an
 * operation means one method here, its encoder, and its public method.
 *
 * <p><b>Tokens.</b> An op submitted on the loop has the token {@code generation << 32 | slot}, also its
 * user_data. An op submitted on another thread was given a token with the top bit set; {@code remote} is that
 * token (0 on the loop), mapped here to its slot until it completes. An op that completes without reaching the
 * kernel has a small token of generation 0 that cancels nothing.
 *
 * <p>Loop thread only; submitting and completing allocate nothing in the steady state (an open allocates its
 * path; a cross-thread token boxes its map entry).
 */
final class RingOperations {

    /** The most a single read or write asks for, as Linux caps one {@code read(2)}. */
    private static final int MAX_TRANSFER = 0x7fff_f000;
    /** What {@link #listenStep} returns when it submitted the next step of a listen. */
    private static final int LISTEN_GOES_ON = Integer.MIN_VALUE;

    private final UringLoop loop;
    private final RingDriver driver;
    private final MemorySegment sqes;
    private final OpSlots slots;
    private final UringHandles handles;
    private final FdTable fds;
    private final OpcodeSupport kernel;
    private final SlabBufferPool pool;
    private final boolean buffersRegistered;
    private final MemorySegment errno;
    /** {@link Sockets#SCRATCH_SIZE} bytes for the socket calls of {@link Sockets}. */
    private final MemorySegment socketScratch;
    private final Map<Long, Integer> remoteSlots = new HashMap<>();
    private long syncTokens;
    private final RingFileOperations files;
    private final RingSocketOperations sockets;
    private final RingVectorOperations vectors;
    private final RingDeadlines deadlines;
    private final RingDatagramOperations datagrams;
    private final RingSendFiles sendFiles;
    private final RingChunkStreams chunkStreams;
    private final RingAcceptStreams acceptStreams;

    RingOperations(UringLoop loop, OpSlots slots, UringHandles handles, OpcodeSupport kernel, SlabBufferPool pool,
                   boolean buffersRegistered, Arena memory) {
        this.loop = loop;
        this.driver = loop.driver();
        this.sqes = driver.sqes();
        this.slots = slots;
        this.handles = handles;
        this.fds = handles.table();
        this.kernel = kernel;
        this.pool = pool;
        this.buffersRegistered = buffersRegistered;
        this.errno = loop.errnoState();
        this.socketScratch = memory.allocate(Sockets.SCRATCH_SIZE, 8);
        this.files = new RingFileOperations(this, slots, fds, driver, kernel, memory);
        this.sockets = new RingSocketOperations(this, slots, fds, driver, kernel);
        this.deadlines = new RingDeadlines(loop, slots, driver, kernel, memory);
        this.vectors = new RingVectorOperations(this, slots, fds, driver, kernel, deadlines);
        this.datagrams = new RingDatagramOperations(this, slots, fds, driver, kernel, deadlines, memory, errno);
        this.sendFiles = new RingSendFiles(loop, this, slots, fds, kernel, memory);
        this.chunkStreams = new RingChunkStreams(loop, this, slots, fds, memory);
        this.acceptStreams = new RingAcceptStreams(loop, this, slots, fds, memory);
    }

    /** The accept streams, which share this table's slots and tokens. */
    RingAcceptStreams acceptStreams() {
        return acceptStreams;
    }

    /** The receive streams from the provided buffer ring, which share this table's slots and tokens. */
    RingChunkStreams chunkStreams() {
        return chunkStreams;
    }

    /** UDP, which shares this table's slots and tokens. */
    RingDatagramOperations datagrams() {
        return datagrams;
    }

    /** The zero-copy sends, which share this table's slots and tokens. */
    RingSendFiles sendFiles() {
        return sendFiles;
    }

    /** The deadlines of the operations in this table. */
    RingDeadlines deadlines() {
        return deadlines;
    }

    /** The vectored reads and writes, which share this table's slots and tokens. */
    RingVectorOperations vectors() {
        return vectors;
    }

    /** The socket operations beyond the basic ones, which share this table's slots and tokens. */
    RingSocketOperations sockets() {
        return sockets;
    }

    /** The file-system operations, which share this table's slots and tokens. */
    RingFileOperations files() {
        return files;
    }

    // =============================================================================================== tokens

    /** Completes an op that the kernel cannot do: its opcode is missing ({@link OpcodeSupport}). */
    private long notSupported(Object attachment, AioCompletion<Object> completion, long remote) {
        return completeNow(-AioErrno.EOPNOTSUPP, attachment, completion, remote);
    }

    /** Completes an op that never reached the kernel, on the loop, from the turn (never inside the call). */
    long completeNow(int result, Object attachment, AioCompletion<Object> completion, long remote) {
        loop.completeLater(completion, result, attachment);
        return remote != 0 ? remote : nextSyncToken();
    }

    private long nextSyncToken() {
        syncTokens = (syncTokens + 1) & 0x7fff_ffffL;
        if (syncTokens == 0) {
            syncTokens = 1;
        }
        return syncTokens;
    }

    long track(int s, long remote) {
        if (remote != 0) {
            slots.remoteToken[s] = remote;
            remoteSlots.put(remote, s);
            return remote;
        }
        return slots.token(s);
    }

    /** The slot of a live op by its token (either kind), or -1. */
    int slotOf(long token) {
        if (token < 0) {
            Integer slot = remoteSlots.get(token);
            return slot == null ? -1 : slot;
        }
        return slots.slotOf(token);
    }

    /** Frees slot {@code s} and forgets its cross-thread token. */
    private void release(int s) {
        long remote = slots.remoteToken[s];
        slots.free(s);
        if (remote != 0) {
            remoteSlots.remove(remote);
        }
    }

    // =============================================================================================== operations

    /** A read or write, with a deadline of {@code timeoutNanos} unless 0 ({@link RingDeadlines}). */
    long transfer(boolean write, int handle, MemorySegment buffer, long offset, long timeoutNanos, Object attachment,
                  AioCompletion<Object> completion, long remote) {
        FdTable.Entry e = fds.get(handle);
        if (e == null || e.closing) {
            return completeNow(-AioErrno.EBADF, attachment, completion, remote);
        }
        if (e.kind == FdTable.DATAGRAM) {
            // read(2) would cut a datagram silently: receive and sendTo are a datagram socket's operations.
            return completeNow(-AioErrno.EINVAL, attachment, completion, remote);
        }
        if (!buffer.scope().isAlive()) {
            return completeNow(-AioErrno.EFAULT, attachment, completion, remote);
        }
        boolean stream = e.kind != FdTable.FILE && e.kind != FdTable.DIRECTORY;
        if (stream && offset != AioOperations.STREAM) {
            return completeNow(-AioErrno.ESPIPE, attachment, completion, remote);
        }
        int opcode = transferOpcode(write, e.kind == FdTable.SOCKET || e.kind == FdTable.LISTENER, buffer);
        if (!kernel.has(opcode) || !deadlines.supported(timeoutNanos)) {
            return notSupported(attachment, completion, remote);
        }
        int length = (int) Math.min(buffer.byteSize(), MAX_TRANSFER);
        int s = slots.alloc(write ? OpSlots.WRITE : OpSlots.READ, handle, attachment, completion, buffer);
        e.inflight++;
        long ud = slots.token(s);
        long at = driver.sqe();
        long position = stream ? 0 : offset;
        switch (opcode) {
            case UringLayout.OP_SEND -> SqeEncoder.send(sqes, at, e.fd, buffer.address(), length, ud);
            case UringLayout.OP_RECV -> {
                if (e.drained && kernel.has(UringLayout.OP_SOCKET)) {
                    // The last recv emptied the socket: in request/response traffic the next message is rarely
                    // there yet, so arm poll first rather than fail a receive with EAGAIN first (half the recv
                    // calls of a ping-pong). The flag came in Linux 5.19 with OP_SOCKET, which the probe shows;
                    // older kernels would refuse it with EINVAL.
                    SqeEncoder.recvPollFirst(sqes, at, e.fd, buffer.address(), length, ud);
                } else {
                    SqeEncoder.recv(sqes, at, e.fd, buffer.address(), length, ud);
                }
            }
            case UringLayout.OP_READ, UringLayout.OP_READ_FIXED -> SqeEncoder.read(sqes, at, e.fd,
                    buffer.address(), length, position, opcode == UringLayout.OP_READ_FIXED ? 0 : -1, ud);
            default -> SqeEncoder.write(sqes, at, e.fd, buffer.address(), length, position,
                    opcode == UringLayout.OP_WRITE_FIXED ? 0 : -1, ud);
        }
        deadlines.start(s, timeoutNanos);
        return track(s, remote);
    }

    /**
     * The opcode of a read or write: {@code RECV}/{@code SEND} on sockets, else {@code READ}/{@code WRITE}, or
     * their {@code _FIXED} forms for a buffer of the registered pool.
     */
    private int transferOpcode(boolean write, boolean socket, MemorySegment buffer) {
        int streamOp = write ? UringLayout.OP_SEND : UringLayout.OP_RECV;
        if (socket && kernel.has(streamOp)) {
            return streamOp;
        }
        // Without SEND/RECV (before 5.6) sockets take READ/WRITE too; a gone peer may then raise SIGPIPE, which the
        // JVM ignores.
        int fixedOp = write ? UringLayout.OP_WRITE_FIXED : UringLayout.OP_READ_FIXED;
        if (buffersRegistered && kernel.has(fixedOp) && pool.contains(buffer)) {
            return fixedOp;
        }
        return write ? UringLayout.OP_WRITE : UringLayout.OP_READ;
    }

    long fsync(int handle, Object attachment, AioCompletion<Object> completion, long remote) {
        FdTable.Entry e = fds.get(handle);
        if (e == null || e.closing) {
            return completeNow(-AioErrno.EBADF, attachment, completion, remote);
        }
        if (!kernel.has(UringLayout.OP_FSYNC)) {
            return notSupported(attachment, completion, remote);
        }
        int s = slots.alloc(OpSlots.FSYNC, handle, attachment, completion, null);
        e.inflight++;
        SqeEncoder.fsync(sqes, driver.sqe(), e.fd, 0, slots.token(s));
        return track(s, remote);
    }

    long listen(ListenTarget target, int backlog, Object attachment, AioCompletion<Object> completion,
                long remote) {
        SocketAddress address = target.address();
        int refused = SocketChecks.listenRefusal(address, target.options());
        if (refused != 0) {
            return completeNow(refused, attachment, completion, remote);
        }
        if (!ListenSteps.supported(kernel)) {
            // Before Linux 6.11: socket, bind and listen as system calls on the loop (none of them waits).
            int fd = Sockets.listen(errno, socketScratch, address, backlog, target.options());
            return completeNow(fd < 0 ? fd : adoptListener(fd, address instanceof UnixDomainSocketAddress),
                    attachment, completion, remote);
        }
        int s = slots.alloc(OpSlots.LISTEN, -1, attachment, completion,
                new ListenSteps(address, backlog, target.options()));
        SqeEncoder.socket(sqes, driver.sqe(), Sockets.family(address),
                UringLayout.SOCK_STREAM | UringLayout.SOCK_CLOEXEC, 0, slots.token(s));
        return track(s, remote);
    }

    /**
     * The next step of a listen by the ring, after the CQE {@code res} of the previous one.
     *
     * @return the listen's result, or {@link #LISTEN_GOES_ON} when the next step was submitted under the same slot
     */
    private int listenStep(int s, int res) {
        ListenSteps l = (ListenSteps) slots.keep[s];
        if (res < 0 || loop.isClosing() || slots.cancelled[s]) {
            if (res >= 0 && l.stage == 0) {
                l.fd = res;
            }
            if (l.fd >= 0) {
                LibC.close(l.fd);
            }
            l.finished();
            return res < 0 ? res : -AioErrno.ECANCELED;
        }
        switch (l.stage++) {
            case 0 -> {
                l.fd = res;
                // No ring opcode before URING_CMD setsockopt (6.7); plain option sets, which never wait.
                int set = Sockets.beforeBind(errno, socketScratch, l.fd, l.address, l.options);
                if (set < 0) {
                    LibC.close(l.fd);
                    l.finished();
                    return set;
                }
                long sockaddr = l.encodeSockaddr(slots.scratchChunk(s), slots.scratchOffset(s));
                SqeEncoder.bind(sqes, driver.sqe(), l.fd, sockaddr, l.sockaddrLength, slots.token(s));
            }
            case 1 -> SqeEncoder.listen(sqes, driver.sqe(), l.fd, l.backlog, slots.token(s));
            default -> {
                l.finished();
                return adoptListener(l.fd, l.address instanceof UnixDomainSocketAddress);
            }
        }
        return LISTEN_GOES_ON;
    }

    /** A new listener into the table, with its bound address; its handle or {@code -EMFILE}. */
    private int adoptListener(int fd, boolean unix) {
        SocketAddress bound = boundAddress(fd);
        int handle = fds.adopt(fd, FdTable.LISTENER, unix);
        if (handle >= 0) {
            fds.get(handle).localAddress = bound;
        }
        return handle;
    }

    /** Once per listener: its bound address (port 0 resolved), or null if the kernel cannot say. */
    private static SocketAddress boundAddress(int fd) {
        try {
            return Sockets.localAddress(fd);
        } catch (IOException e) {
            return null;
        }
    }

    long accept(int handle, long timeoutNanos, Object attachment, AioCompletion<Object> completion, long remote) {
        FdTable.Entry e = fds.get(handle);
        if (e == null || e.closing) {
            return completeNow(-AioErrno.EBADF, attachment, completion, remote);
        }
        if (!kernel.has(UringLayout.OP_ACCEPT) || !deadlines.supported(timeoutNanos)) {
            return notSupported(attachment, completion, remote);
        }
        int s = slots.alloc(OpSlots.ACCEPT, handle, attachment, completion, null);
        e.inflight++;
        long at = driver.sqe();
        SqeEncoder.accept(sqes, at, e.fd, 0, 0, UringLayout.SOCK_CLOEXEC, slots.token(s));
        deadlines.start(s, timeoutNanos);
        return track(s, remote);
    }

    long connect(SocketAddress address, long timeoutNanos, Object attachment, AioCompletion<Object> completion,
                 long remote) {
        if (!kernel.has(UringLayout.OP_CONNECT) || !deadlines.supported(timeoutNanos)) {
            return notSupported(attachment, completion, remote);
        }
        int fd = Sockets.stream(errno, address);
        if (fd < 0) {
            return completeNow(fd, attachment, completion, remote);
        }
        // A Unix sockaddr does not fit the slot's scratch: memory of its own, kept by the slot until the CQE, whose
        // presence also tells the completion that the socket is a Unix one.
        PathMemory unix = address instanceof UnixDomainSocketAddress ? new PathMemory(null) : null;
        int s = slots.alloc(OpSlots.CONNECT, -1, attachment, completion, unix);
        slots.aux[s] = fd;
        MemorySegment scratch = unix != null ? unix.allocate(Sockaddrs.MAX_SIZE) : slots.scratchChunk(s);
        long at = unix != null ? 0 : slots.scratchOffset(s);
        int length = Sockaddrs.encode(address, scratch, at);
        long sqe = driver.sqe();
        SqeEncoder.connect(sqes, sqe, fd, scratch.address() + at, length, slots.token(s));
        deadlines.start(s, timeoutNanos);
        return track(s, remote);
    }

    long eventfd(long initialValue, Object attachment, AioCompletion<Object> completion, long remote) {
        int fd = LibC.eventfd(errno, (int) initialValue, UringLayout.EFD_CLOEXEC | UringLayout.EFD_NONBLOCK);
        return completeNow(fd < 0 ? fd : fds.adopt(fd, FdTable.EVENTFD), attachment, completion, remote);
    }

    long timeout(long nanos, Object attachment, AioCompletion<Object> completion, long remote) {
        if (!kernel.has(nanos == 0 ? UringLayout.OP_NOP : UringLayout.OP_TIMEOUT)) {
            return notSupported(attachment, completion, remote);
        }
        int s = slots.alloc(OpSlots.TIMEOUT, -1, attachment, completion, null);
        if (nanos == 0) {
            // A NOP completes with 0 during the submission, in SQ order: a zero timeout without an hrtimer, which
            // (with DEFER_TASKRUN) costs a timer interrupt and a wake-up of ~20 µs per round trip.
            SqeEncoder.nop(sqes, driver.sqe(), slots.token(s));
            return track(s, remote);
        }
        MemorySegment scratch = slots.scratchChunk(s);
        long at = slots.scratchOffset(s);
        scratch.set(JAVA_LONG, at + UringLayout.TIMESPEC_TV_SEC, nanos / 1_000_000_000L);
        scratch.set(JAVA_LONG, at + UringLayout.TIMESPEC_TV_NSEC, nanos % 1_000_000_000L);
        SqeEncoder.timeout(sqes, driver.sqe(), scratch.address() + at, 0, slots.token(s));
        return track(s, remote);
    }

    /** A handle's close: an op slot for its token, then the handle table's drain-then-close ({@link UringHandles}). */
    long close(int handle, Object attachment, AioCompletion<Object> completion, long remote) {
        FdTable.Entry e = fds.get(handle);
        if (e == null || e.closing) {
            return completeNow(-AioErrno.EBADF, attachment, completion, remote);
        }
        int s = slots.alloc(OpSlots.CLOSE, -1, attachment, completion, null);
        long token = track(s, remote);
        handles.close(e, s);
        return token;
    }

    /** Cancels the op of {@code token} if it is still in flight; its completion follows with its CQE. */
    void cancel(long token) {
        int s = slotOf(token);
        if (s < 0 || slots.kind[s] == OpSlots.CLOSE) {
            return;
        }
        slots.cancelled[s] = true;
        SqeEncoder.cancel(sqes, driver.sqe(), slots.token(s), UserData.IGNORE);
    }

    // =============================================================================================== completion

    /**
     * The CQE of an operation: its follow-up, then its completion, once.
     *
     * @param ud       the CQE's user_data, an op token
     * @param res      the CQE's result
     * @param cqeFlags the CQE's flags
     * @return 1 if a completion ran, 0 if the op goes on (a listen's next step) or the token names no live op
     */
    int complete(long ud, int res, int cqeFlags) {
        int s = slots.slotOf(ud);
        if (s < 0) {
            return 0;
        }
        byte kind = slots.kind[s];
        if (kind == OpSlots.LISTEN && (res = listenStep(s, res)) == LISTEN_GOES_ON) {
            return 0;
        }
        if (kind == OpSlots.SENDFILE && (res = sendFiles.step(s, res)) == RingSendFiles.GOES_ON) {
            return 0;
        }
        if (kind == OpSlots.RECV_STREAM && (res = chunkStreams.cqe(s, res, cqeFlags)) == RingChunkStreams.GOES_ON) {
            return 0;
        }
        if (kind == OpSlots.ACCEPT_STREAM
                && (res = acceptStreams.cqe(s, res, cqeFlags)) == RingAcceptStreams.GOES_ON) {
            return 0;
        }
        int handle = slots.handle[s];
        int aux = slots.aux[s];
        Object attachment = slots.attachment[s];
        AioCompletion<Object> completion = slots.completion[s];
        Object keep = slots.keep[s];
        boolean cancelled = slots.cancelled[s];
        boolean deadline = slots.deadline[s];
        if (deadline) {
            deadlines.completed(s);
        }
        release(s);
        FdTable.Entry second = null; // a rename's second directory, a send's file, pinned in aux
        int result = res;
        switch (kind) {
            case OpSlots.TIMEOUT -> result = res == -AioErrno.ETIME ? 0 : res;
            case OpSlots.OPEN -> {
                ((PathMemory) keep).close();
                if (res >= 0) {
                    result = fds.adopt(res, aux == 1 ? FdTable.DIRECTORY : FdTable.FILE);
                }
            }
            case OpSlots.PATH -> {
                ((PathMemory) keep).close();
                second = aux >= 0 ? fds.get(aux) : null;
                if (second != null) {
                    second.inflight--;
                }
            }
            case OpSlots.DATAGRAM -> datagrams.completed(s);
            case OpSlots.SENDFILE -> {
                second = sendFiles.fileOf(aux);
                second.inflight--;
            }
            case OpSlots.ACCEPT -> {
                if (res >= 0) {
                    FdTable.Entry listener = fds.get(handle);
                    boolean unix = listener != null && listener.unix;
                    if (!unix) {
                        Sockets.noDelay(errno, socketScratch, res);
                    }
                    result = fds.adopt(res, FdTable.SOCKET, unix);
                }
            }
            case OpSlots.CONNECT -> {
                if (keep != null) {
                    ((PathMemory) keep).close();
                }
                if (res >= 0) {
                    if (keep == null) {
                        Sockets.noDelay(errno, socketScratch, aux);
                    }
                    result = fds.adopt(aux, FdTable.SOCKET, keep != null);
                } else {
                    LibC.close(aux);
                }
            }
            default -> {
            }
        }
        FdTable.Entry entry = handle >= 0 ? fds.get(handle) : null;
        if (entry != null) {
            entry.inflight--;
            if (kind == OpSlots.READ) {
                entry.drained = res > 0 && (cqeFlags & UringLayout.CQE_F_SOCK_NONEMPTY) == 0;
            }
        }
        boolean closing = loop.isClosing();
        if (closing && result <= 0 && entry != null && entry.kind != FdTable.FILE && entry.kind != FdTable.EVENTFD
                && entry.kind != FdTable.DIRECTORY) {
            result = -AioErrno.ECANCELED; // woken by the shutdown of UringHandles.wakePolled(): it moved no data
        } else if (result == -AioErrno.EINTR && (cancelled || closing || entry != null && entry.closing)) {
            result = -AioErrno.ECANCELED; // an io-wq worker interrupted by the cancellation
        } else if (deadline) {
            result = RingDeadlines.result(result, cancelled, closing || entry != null && entry.closing);
        }
        loop.invoke(completion, result, attachment);
        if (entry != null) {
            handles.opCompleted(entry);
        }
        if (second != null) {
            // After the completion, as for the first directory: a close waiting for it completes after this op.
            handles.opCompleted(second);
        }
        return 1;
    }

    /** Completes the op in slot {@code s}, which has no CQE of its own (a handle's close), and frees it. */
    void completeWithoutCqe(int s, int result) {
        Object attachment = slots.attachment[s];
        AioCompletion<Object> completion = slots.completion[s];
        release(s);
        loop.invoke(completion, result, attachment);
    }

    // =============================================================================================== test hooks

    /** For tests: behaves as if the kernel lacked an opcode. Before the first submission that would use it. */
    void pretendUnsupported(int opcode) {
        kernel.remove(opcode);
    }

    /** For tests: the opcodes the kernel has (as the probe found them, less those pretended unsupported). */
    OpcodeSupport supportedOpcodes() {
        return new OpcodeSupport(kernel);
    }

    /** For tests, after a read's completion: whether the next recv on {@code handle} arms poll first. */
    boolean recvPollsFirst(int handle) {
        FdTable.Entry e = fds.get(handle);
        return e != null && e.drained && kernel.has(UringLayout.OP_SOCKET);
    }
}
