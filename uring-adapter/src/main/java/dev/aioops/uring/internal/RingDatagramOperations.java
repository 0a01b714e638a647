package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioSocketAddress;
import dev.aioops.uring.ring.DatagramSockets;
import dev.aioops.uring.ring.Msghdrs;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.Sockets;
import dev.aioops.uring.ring.UringLayout;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * UDP on the ring: a socket opened with plain system calls on the loop ({@link DatagramSockets}: none of them
 * waits), then {@code IORING_OP_SENDMSG} and {@code RECVMSG} (with {@code MSG_TRUNC}, so that the result is the
 * datagram's full length and a truncated one is reported) on a {@code msghdr} and {@code iovec} in memory
 * preallocated for the op's slot: the kernel reads the caller's buffer and {@code AioSocketAddress} where they are,
 * and a send or receive allocates nothing.
 *
 * <p><b>Memory.</b> One {@link Msghdrs#BLOCK_SIZE}-byte block per op slot, in chunks allocated from the loop's
 * arena the first time a slot of the chunk carries a datagram, and never freed before the instance: the kernel
 * writes {@code msg_namelen} back when a receive completes, also after a cancel or a close. The slot keeps the
 * buffer reachable; {@link #pinned} the address, until {@link #completed}.
 *
 * <p>The descriptor is pinned by its in-flight count like a read's, so that closing the handle waits for the op.
 * A receive's deadline is the loop's ({@link RingDeadlines}). Loop thread only.
 */
final class RingDatagramOperations {

    /** The most bytes one datagram operation names, as for a read. */
    private static final long MAX_TRANSFER = 0x7fff_f000L;
    private static final int CHUNK_SHIFT = 10;
    private static final int CHUNK = 1 << CHUNK_SHIFT;

    private final RingOperations ops;
    private final OpSlots slots;
    private final FdTable fds;
    private final MemorySegment sqes;
    private final RingDriver driver;
    private final OpcodeSupport kernel;
    private final RingDeadlines deadlines;
    private final Arena memory;
    private final MemorySegment errno;
    /** 64 bytes for {@link DatagramSockets#open}. */
    private final MemorySegment scratch;
    /** The {@code msghdr} blocks, by chunk of {@link #CHUNK} slots; null until a slot of the chunk needs one. */
    private MemorySegment[] headers = new MemorySegment[0];
    /** The {@code AioSocketAddress} of each slot's op, kept reachable until its CQE. */
    private AioSocketAddress[] pinned = new AioSocketAddress[0];

    RingDatagramOperations(RingOperations ops, OpSlots slots, FdTable fds, RingDriver driver, OpcodeSupport kernel,
                           RingDeadlines deadlines, Arena memory, MemorySegment errno) {
        this.ops = ops;
        this.slots = slots;
        this.fds = fds;
        this.sqes = driver.sqes();
        this.driver = driver;
        this.kernel = kernel;
        this.deadlines = deadlines;
        this.memory = memory;
        this.errno = errno;
        this.scratch = memory.allocate(Sockets.SCRATCH_SIZE, 8);
    }

    /** Opens a socket; completes with its handle (its bound address kept for {@code localAddress}), or -errno. */
    long open(InetSocketAddress bind, InetSocketAddress connectTo, Object attachment, AioCompletion<Object> completion,
              long remote) {
        int fd = DatagramSockets.open(errno, scratch, bind, connectTo);
        int handle = fd;
        if (fd >= 0) {
            java.net.SocketAddress bound = boundAddress(fd);
            handle = fds.adopt(fd, FdTable.DATAGRAM);
            if (handle >= 0) {
                FdTable.Entry e = fds.get(handle);
                e.connected = connectTo != null;
                e.localAddress = bound;
            }
        }
        return ops.completeNow(handle, attachment, completion, remote);
    }

    /** Once per socket, after connect (which may pick the local address): port 0 resolved, or null. */
    private static java.net.SocketAddress boundAddress(int fd) {
        try {
            return Sockets.localAddress(fd);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * {@code SENDMSG} of {@code buffer} to {@code target} (null: the connected peer, or {@code -EDESTADDRREQ} from
     * the kernel), {@code MSG_NOSIGNAL}.
     *
     * @param targetLength the target's {@code socklen_t}, read on the submitting thread (which may access the
     *                     holder's memory; the loop passes only its address to the kernel)
     */
    long sendTo(int handle, MemorySegment buffer, AioSocketAddress target, int targetLength, Object attachment,
                AioCompletion<Object> completion, long remote) {
        FdTable.Entry e = fds.get(handle);
        int refused = refusal(e, buffer, target, UringLayout.OP_SENDMSG, 0);
        if (refused == 0 && target != null && e.connected) {
            refused = -AioErrno.EISCONN; // as the JDK's and Netty's channels answer: the same on every adapter
        } else if (refused == 0 && buffer.byteSize() == 0) {
            refused = -AioErrno.EINVAL; // an empty datagram, which the other adapters cannot send
        }
        if (refused != 0) {
            return ops.completeNow(refused, attachment, completion, remote);
        }
        int s = start(e, handle, buffer, target, targetLength, attachment, completion);
        SqeEncoder.sendmsg(sqes, driver.sqe(), e.fd, header(s), UringLayout.MSG_NOSIGNAL, slots.token(s));
        return ops.track(s, remote);
    }

    /** {@code RECVMSG} with {@code MSG_TRUNC}, the sender into {@code sender} unless null, a deadline unless 0. */
    long receive(int handle, MemorySegment buffer, AioSocketAddress sender, long timeoutNanos, Object attachment,
                 AioCompletion<Object> completion, long remote) {
        FdTable.Entry e = fds.get(handle);
        int refused = refusal(e, buffer, sender, UringLayout.OP_RECVMSG, timeoutNanos);
        if (refused != 0) {
            return ops.completeNow(refused, attachment, completion, remote);
        }
        int s = start(e, handle, buffer, sender, AioSocketAddress.STRUCT_SIZE, attachment, completion);
        long at = driver.sqe();
        SqeEncoder.recvmsg(sqes, at, e.fd, header(s), UringLayout.MSG_TRUNC, slots.token(s));
        deadlines.start(s, timeoutNanos);
        return ops.track(s, remote);
    }

    /**
     * Why an op cannot go to the kernel, or 0: a TCP socket is refused ({@code -EINVAL}) before a {@code MSG_TRUNC}
     * receive could discard its bytes, a file or eventfd is {@code -ENOTSOCK}; a memory closed since a cross-thread
     * submission is {@code -EFAULT}.
     */
    private int refusal(FdTable.Entry e, MemorySegment buffer, AioSocketAddress address, int opcode,
                        long timeoutNanos) {
        return e == null || e.closing ? -AioErrno.EBADF
                : e.kind == FdTable.SOCKET || e.kind == FdTable.LISTENER ? -AioErrno.EINVAL
                : e.kind != FdTable.DATAGRAM ? -AioErrno.ENOTSOCK
                : !buffer.scope().isAlive() || address != null && !address.struct().scope().isAlive() ? -AioErrno.EFAULT
                : !kernel.has(opcode) || !deadlines.supported(timeoutNanos) ? -AioErrno.EOPNOTSUPP
                : 0;
    }

    /** Takes a slot, pins the descriptor and the address, and writes the slot's {@code msghdr}. */
    private int start(FdTable.Entry e, int handle, MemorySegment buffer, AioSocketAddress address, int nameLength,
                      Object attachment, AioCompletion<Object> completion) {
        int s = slots.alloc(OpSlots.DATAGRAM, handle, attachment, completion, buffer);
        e.inflight++;
        MemorySegment chunk = chunk(s);
        if (s >= pinned.length) {
            pinned = Arrays.copyOf(pinned, slots.capacity());
        }
        pinned[s] = address;
        Msghdrs.encode(chunk, offset(s), address == null ? 0 : address.struct().address(), nameLength,
                buffer.address(), Math.min(buffer.byteSize(), MAX_TRANSFER));
        return s;
    }

    /** The CQE of the op in slot {@code s} (already released) arrived: the address is the caller's again. */
    void completed(int s) {
        pinned[s] = null;
    }

    private long header(int s) {
        return headers[s >>> CHUNK_SHIFT].address() + offset(s);
    }

    private static long offset(int s) {
        return Msghdrs.BLOCK_SIZE * (s & (CHUNK - 1));
    }

    private MemorySegment chunk(int s) {
        int c = s >>> CHUNK_SHIFT;
        if (c >= headers.length) {
            headers = Arrays.copyOf(headers, c + 1);
        }
        if (headers[c] == null) {
            headers[c] = memory.allocate(Msghdrs.BLOCK_SIZE * CHUNK, 16);
        }
        return headers[c];
    }
}
