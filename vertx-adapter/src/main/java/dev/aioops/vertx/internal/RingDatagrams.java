package dev.aioops.vertx.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioSocketAddress;
import dev.aioops.uring.ring.DatagramSockets;
import dev.aioops.uring.ring.Msghdrs;
import dev.aioops.uring.ring.RingOpcodes;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.function.BiConsumer;
import java.util.function.IntUnaryOperator;
import java.util.function.ObjIntConsumer;

/**
 * UDP in the shared ring, as the io_uring adapter does it: the socket opened with plain system calls on the loop
 * ({@link DatagramSockets}), then {@code SENDMSG} ({@code MSG_NOSIGNAL}) and {@code RECVMSG} ({@code MSG_TRUNC}: the
 * result is the datagram's full length) in Netty's ring, on the caller's buffer and {@code AioSocketAddress} where
 * they are. Several receives of one socket may be in the ring at once: each takes one whole datagram.
 *
 * <p>Each operation's {@code msghdr} is a {@link Msghdrs#BLOCK_SIZE}-byte block of a free list, in chunks of the
 * engine's arena (freed with it, once nothing is in the ring), held by the operation as its resource: the engine
 * closes that when the ring gives the operation back, which returns the block. Loop thread only.
 */
final class RingDatagrams {

    private static final int BLOCKS_PER_CHUNK = 64;

    private final Arena arena;
    private final MemorySegment sqe;
    private final MemorySegment errno;
    private final MemorySegment scratch;
    private final BiConsumer<Op, RingFd> submit;
    private final ObjIntConsumer<Op> complete;
    private final RingFds fds;
    private final IntUnaryOperator register;
    private final ArrayDeque<Header> free = new ArrayDeque<>();

    /** A {@code msghdr} block, back on the free list when closed. */
    private final class Header implements AutoCloseable {
        final MemorySegment memory;

        Header(MemorySegment memory) {
            this.memory = memory;
        }

        @Override
        public void close() {
            free.push(this);
        }
    }

    /**
     * @param arena    the engine's memory, freed when nothing is in the ring any more
     * @param sqe      the engine's SQE scratch (loop thread only), to encode into
     * @param errno    the loop's errno capture segment
     * @param scratch  64 bytes of the loop's scratch memory
     * @param submit   submits the encoded SQE, counting the target descriptor in flight
     * @param complete completes an operation that never reached the ring
     * @param fds      the engine's descriptors
     * @param register adopts a new datagram descriptor as a handle, returning the handle
     */
    RingDatagrams(Arena arena, MemorySegment sqe, MemorySegment errno, MemorySegment scratch,
                  BiConsumer<Op, RingFd> submit, ObjIntConsumer<Op> complete, RingFds fds,
                  IntUnaryOperator register) {
        this.arena = arena;
        this.sqe = sqe;
        this.errno = errno;
        this.scratch = scratch;
        this.submit = submit;
        this.complete = complete;
        this.fds = fds;
        this.register = register;
    }

    /** Loop: opens a socket, or submits a send or receive. */
    void start(Op op) {
        switch (op.kind) {
            case DATAGRAM_OPEN -> open(op);
            case SEND_TO -> send(op);
            default -> receive(op);
        }
    }

    private void open(Op op) {
        InetSocketAddress[] addresses = (InetSocketAddress[]) op.argument;
        int handle = DatagramSockets.open(errno, scratch, addresses[0], addresses[1]);
        if (handle >= 0) {
            handle = register.applyAsInt(handle);
            if (handle >= 0) {
                fds.get(handle).connected = addresses[1] != null;
            }
        }
        complete.accept(op, handle);
    }

    /** {@code SENDMSG}; the target's length was read on the submitting thread into {@link Op#offset}. */
    private void send(Op op) {
        RingFd f = fds.get(op.handle);
        AioSocketAddress target = (AioSocketAddress) op.argument;
        int refused = refusal(f, UringLayout.OP_SENDMSG);
        if (refused == 0 && target != null && f.connected) {
            refused = -AioErrno.EISCONN; // as the JDK's and Netty's channels answer: the same on every adapter
        } else if (refused == 0 && op.view.byteSize() == 0) {
            refused = -AioErrno.EINVAL; // an empty datagram, which the adapters on Java channels cannot send
        }
        if (refused != 0) {
            complete.accept(op, refused);
            return;
        }
        Header h = header();
        op.resource = h;
        Msghdrs.encode(h.memory, 0, target == null ? 0 : target.struct().address(), (int) op.offset,
                op.view.address(), op.view.byteSize());
        SqeEncoder.sendmsg(sqe, 0, f.fd, h.memory.address(), UringLayout.MSG_NOSIGNAL, op.token);
        submit.accept(op, f);
    }

    /** {@code RECVMSG} with {@code MSG_TRUNC}; a deadline is linked by the engine. */
    private void receive(Op op) {
        RingFd f = fds.get(op.handle);
        int refused = refusal(f, UringLayout.OP_RECVMSG);
        if (refused != 0) {
            complete.accept(op, refused);
            return;
        }
        AioSocketAddress sender = (AioSocketAddress) op.argument;
        Header h = header();
        op.resource = h;
        Msghdrs.encode(h.memory, 0, sender == null ? 0 : sender.struct().address(),
                AioSocketAddress.STRUCT_SIZE, op.view.address(), op.view.byteSize());
        SqeEncoder.recvmsg(sqe, 0, f.fd, h.memory.address(), UringLayout.MSG_TRUNC, op.token);
        submit.accept(op, f);
    }

    /** As on the io_uring adapter: a TCP socket {@code -EINVAL} (before a receive could discard its bytes). */
    private static int refusal(RingFd f, int opcode) {
        return f == null || f.closing ? -AioErrno.EBADF
                : f.kind == RingFd.Kind.SOCKET || f.kind == RingFd.Kind.LISTENER ? -AioErrno.EINVAL
                : f.kind != RingFd.Kind.DATAGRAM ? -AioErrno.ENOTSOCK
                : !RingOpcodes.has(opcode) ? -AioErrno.EOPNOTSUPP
                : 0;
    }

    private Header header() {
        Header h = free.poll();
        if (h != null) {
            return h;
        }
        MemorySegment chunk = arena.allocate(Msghdrs.BLOCK_SIZE * BLOCKS_PER_CHUNK, 16);
        for (int i = 1; i < BLOCKS_PER_CHUNK; i++) {
            free.push(new Header(chunk.asSlice(i * Msghdrs.BLOCK_SIZE, Msghdrs.BLOCK_SIZE)));
        }
        return new Header(chunk.asSlice(0, Msghdrs.BLOCK_SIZE));
    }
}
