package dev.aioops.epoll.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.internal.ErrnoMapping;
import dev.aioops.spi.internal.SockaddrCodec;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/**
 * UDP on the selector: each socket a non-blocking {@link DatagramChannel}; a receive or send is tried at once when
 * nothing is queued before it, and otherwise (or when it would block) queued on its socket and retried on
 * readiness, as {@link SocketDriver} does for TCP. Loop-confined.
 *
 * <p><b>Truncation.</b> {@link DatagramChannel#receive} cuts a datagram to the buffer it is given without saying
 * so. Every datagram is therefore received whole into one loop-owned buffer larger than any UDP datagram, and then
 * copied: the result is the datagram's full length, as {@code recvmsg(2)} with {@code MSG_TRUNC} gives it.
 *
 * <p><b>What the JDK's channel lacks</b> is done here as Linux does it: a shutdown (the channel has none) marks the
 * socket, so that a receive finding no datagram completes with 0 and a send with {@code -EPIPE}. An empty datagram
 * is refused with {@code -EINVAL}, as on every adapter: the JDK does not send one on a connected channel (its
 * write of nothing makes no system call) and Netty never sends one.
 */
final class DatagramDriver implements OpCanceller {

    private static final int WOULD_BLOCK = Integer.MIN_VALUE;
    /** More than the largest UDP datagram: 65,507 bytes over IPv4, 65,527 over IPv6. */
    private static final int LANDING_SIZE = 65_536;

    private final Selector selector;
    private final HandleTable handles;
    private final CompletionQueue completions;
    private final Consumer<Throwable> errors;
    /** Loop-owned: where every datagram lands first, whole; shared by every socket, one receive at a time. */
    private final ByteBuffer landing = ByteBuffer.allocateDirect(LANDING_SIZE);
    private final MemorySegment landed = MemorySegment.ofBuffer(landing);

    DatagramDriver(Selector selector, HandleTable handles, CompletionQueue completions, Consumer<Throwable> errors) {
        this.selector = selector;
        this.handles = handles;
        this.completions = completions;
        this.errors = errors;
    }

    /** Opens, binds and, with {@link Op#peer}, connects a socket of the family of {@link Op#address}. */
    void open(Op op) {
        DatagramChannel channel = null;
        try {
            boolean ipv6 = ((InetSocketAddress) op.address).getAddress() instanceof Inet6Address;
            channel = DatagramChannel.open(ipv6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            channel.bind(op.address);
            if (op.peer != null) {
                channel.connect(op.peer);
            }
            int handle = handles.add(new DatagramResource(channel, op.peer != null, ipv6));
            if (handle < 0) {
                Quietly.close(channel);
            }
            completions.finish(op, HandleTable.resultOf(handle));
        } catch (IOException | RuntimeException e) {
            Quietly.close(channel);
            completions.finish(op, ErrnoMapping.result(e));
        }
    }

    /** Starts a {@link Op#SEND_TO} or {@link Op#RECEIVE} on the handle it names. */
    void transfer(Op op) {
        switch (handles.get(op.handle)) {
            case DatagramResource d -> start(d, op, op.kind == Op.RECEIVE ? d.receivers : d.senders);
            case SocketResource s -> completions.finish(op, -AioErrno.EINVAL);
            case ListenResource l -> completions.finish(op, -AioErrno.EINVAL);
            case null -> completions.finish(op, -AioErrno.EBADF);
            default -> completions.finish(op, -AioErrno.ENOTSOCK);
        }
    }

    private void start(DatagramResource d, Op op, OpList queue) {
        if (queue.isEmpty()) {
            int result = attempt(d, op);
            if (result != WOULD_BLOCK) {
                completions.finish(op, result);
                return;
            }
        }
        op.canceller = this;
        queue.add(op);
        updateInterest(d);
    }

    private int attempt(DatagramResource d, Op op) {
        try {
            return op.kind == Op.RECEIVE ? receive(d, op) : send(d, op);
        } catch (IOException | RuntimeException e) {
            return ErrnoMapping.result(e);
        }
    }

    private int receive(DatagramResource d, Op op) throws IOException {
        landing.clear();
        SocketAddress sender = d.channel.receive(landing);
        if (sender == null) {
            return d.inputShut ? 0 : WOULD_BLOCK;
        }
        int length = landing.position();
        MemorySegment into = Buffers.usable(op.buffer);
        MemorySegment.copy(landed, 0, into, 0, Math.min(length, into.byteSize()));
        if (op.socketAddress != null) {
            SockaddrCodec.encode((InetSocketAddress) sender, Buffers.usable(op.socketAddress.struct()));
        }
        return length;
    }

    private int send(DatagramResource d, Op op) throws IOException {
        InetSocketAddress target = (InetSocketAddress) op.address;
        int refused = target == null && !d.connected ? -AioErrno.EDESTADDRREQ
                : target != null && d.connected ? -AioErrno.EISCONN
                : d.outputShut ? -AioErrno.EPIPE
                : target != null && !d.ipv6 && target.getAddress() instanceof Inet6Address ? -AioErrno.EAFNOSUPPORT
                : op.buffer.byteSize() == 0 ? -AioErrno.EINVAL
                : 0;
        if (refused != 0) {
            return refused;
        }
        ByteBuffer datagram = op.view;
        if (datagram == null) {
            datagram = Buffers.view(op.buffer);
            op.view = datagram;
        }
        int n = target == null ? d.channel.write(datagram) : d.channel.send(datagram, target);
        return n == 0 ? WOULD_BLOCK : n;
    }

    /**
     * Marks a socket shut as {@code shutdown(2)} does a UDP socket (the {@code how} is {@link AioShutdown}'s ordinal
     * in {@link Op#offset}): receives waiting on it then complete with 0 once none finds a datagram. Completes with
     * 0, or {@code -ENOTCONN} for a socket that is not connected, which Linux shuts all the same.
     */
    void shutdown(DatagramResource d, Op op) {
        AioShutdown how = AioShutdown.values()[(int) op.offset];
        d.inputShut |= how != AioShutdown.WRITE;
        d.outputShut |= how != AioShutdown.READ;
        completions.finish(op, d.connected ? 0 : -AioErrno.ENOTCONN);
        pump(d, d.receivers);
        updateInterest(d);
    }

    @Override
    public void cancel(Op op) {
        if (op.list == null) {
            return;
        }
        op.list.remove(op);
        completions.finish(op, -AioErrno.ECANCELED);
        if (handles.get(op.handle) instanceof DatagramResource d) {
            updateInterest(d);
        }
    }

    /** Completes everything waiting on a socket with {@code -ECANCELED}, then closes it. */
    void cancelAndClose(DatagramResource d) {
        for (OpList list : new OpList[] {d.receivers, d.senders}) {
            Op op;
            while ((op = list.poll()) != null) {
                completions.finish(op, -AioErrno.ECANCELED);
            }
        }
        if (d.key != null) {
            d.key.cancel();
        }
        Quietly.close(d.channel);
    }

    /** Selector callback: performs what the readiness of a socket allows. */
    void onKey(SelectionKey key, DatagramResource d) {
        if (!key.isValid()) {
            return;
        }
        int ready = key.readyOps();
        if ((ready & SelectionKey.OP_READ) != 0) {
            pump(d, d.receivers);
        }
        if ((ready & SelectionKey.OP_WRITE) != 0) {
            pump(d, d.senders);
        }
        if (key.isValid()) {
            updateInterest(d);
        }
    }

    private void pump(DatagramResource d, OpList queue) {
        Op op;
        while ((op = queue.peek()) != null) {
            int result = attempt(d, op);
            if (result == WOULD_BLOCK) {
                return;
            }
            queue.poll();
            completions.finish(op, result);
        }
    }

    private void updateInterest(DatagramResource d) {
        int ops = d.interest();
        try {
            if (d.key == null) {
                d.key = ops == 0 ? null : d.channel.register(selector, ops, d);
            } else if (d.key.isValid() && d.key.interestOps() != ops) {
                d.key.interestOps(ops);
            }
        } catch (IOException | RuntimeException e) {
            errors.accept(e);
        }
    }
}
