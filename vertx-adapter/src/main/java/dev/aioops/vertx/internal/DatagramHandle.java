package dev.aioops.vertx.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioSocketAddress;
import dev.aioops.spi.internal.ErrnoMapping;
import dev.aioops.spi.internal.SockaddrCodec;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * A UDP socket of the Vert.x-native mode: a Netty {@link DatagramChannel} of the Vert.x instance's transport,
 * registered on the context's event loop, with a handler of this class's instead of Vert.x's push-based
 * {@code DatagramSocket}, so that it reads only when a receive waits.
 *
 * <p><b>No silent truncation.</b> Netty reads a datagram into a buffer its allocator picks, 2,048 bytes by default
 * for datagram channels, and cuts a longer one without a word. This channel reads into 65,536 bytes, more than any
 * UDP datagram, so every datagram arrives whole, and a receive completes with its full length, copying what fits.
 *
 * <p><b>Bounded read-ahead</b> (back-pressure): auto-read is off; Netty is asked to read only while a receive
 * waits and nothing is queued, and then takes at most {@value #READ_BATCH} datagrams, so at most that many wait
 * here; the rest stays in the kernel's socket buffer, which drops what it cannot hold, as UDP does.
 *
 * <p>What the channel lacks is done as Linux does it ({@code DatagramDriver} of the epoll adapter the same):
 * shutdown marks the socket (receives that find nothing complete with 0, sends with {@code -EPIPE}), and an empty
 * datagram is refused with {@code -EINVAL} (Netty skips one). A send is copied into a direct buffer of the channel's
 * allocator and completes when Netty has written it; it cannot be withdrawn. Netty calls this handle on the event
 * loop outside any Vert.x context, so each callback makes the bound context current first. Loop thread only,
 * except {@link #localAddress}.
 */
final class DatagramHandle extends AioHandle implements Canceller {

    /** More than the largest UDP datagram: 65,507 bytes over IPv4, 65,527 over IPv6. */
    static final int RECEIVE_SIZE = 65_536;
    /** The most datagrams one read of Netty takes off the socket. */
    static final int READ_BATCH = 16;
    private static final Canceller WITHDRAW = op -> true;

    private final VertxEngine engine;
    private final DatagramChannel channel;
    private final boolean connected;
    private final boolean ipv6;
    /** Set once bound (and connected), before the handle is given a number. */
    volatile InetSocketAddress localAddress;
    private final ArrayDeque<DatagramPacket> inbound = new ArrayDeque<>();
    private final ArrayDeque<Op> receives = new ArrayDeque<>();
    private final ArrayDeque<Op> sends = new ArrayDeque<>();
    private final Runnable serve = this::serve;
    /** A failure to report once to a receive, as Linux reports an ICMP error once. */
    private int error;
    /** The channel was closed under the handle (Netty closes it on some read errors): receives fail from then on. */
    private boolean gone;
    private boolean inputShut;
    private boolean outputShut;

    private DatagramHandle(VertxEngine engine, DatagramChannel channel, boolean connected, boolean ipv6) {
        this.engine = engine;
        this.channel = channel;
        this.connected = connected;
        this.ipv6 = ipv6;
        channel.config().setAutoRead(false);
        channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(RECEIVE_SIZE)
                .maxMessagesPerRead(READ_BATCH));
        channel.pipeline().addLast(new Inbound());
    }

    /**
     * Loop: opens a socket for {@code op} (its bind address and peer in {@link Op#argument}): registers the channel,
     * binds it, connects it if asked, and completes with the new handle or the failure's {@code -errno}.
     */
    @SuppressWarnings("deprecation") // Vert.x's transport names the family with Netty's InternetProtocolFamily
    static void open(VertxEngine engine, Op op) {
        InetSocketAddress[] addresses = (InetSocketAddress[]) op.argument;
        boolean ipv6 = addresses[0].getAddress() instanceof Inet6Address;
        DatagramChannel channel = ((VertxInternal) engine.vertx).transport()
                .datagramChannel(ipv6 ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4);
        DatagramHandle handle = new DatagramHandle(engine, channel, addresses[1] != null, ipv6);
        op.canceller = WITHDRAW;
        engine.context.nettyEventLoop().register(channel).addListener(registered -> {
            ChannelFuture bound = registered.isSuccess() ? channel.bind(addresses[0]) : null;
            handle.step(op, bound, registered.cause(), () -> {
                ChannelFuture connected = addresses[1] == null ? null : channel.connect(addresses[1]);
                handle.step(op, connected, null, () -> handle.opened(op));
            });
        });
    }

    /** One step of {@link #open}: on to {@code next} once {@code future} succeeded, or settle the failure. */
    private void step(Op op, ChannelFuture future, Throwable failure, Runnable next) {
        if (future == null && failure == null) {
            next.run();
            return;
        }
        if (future == null) {
            onContext(() -> fail(op, failure));
            return;
        }
        future.addListener(f -> {
            if (f.isSuccess()) {
                next.run();
            } else {
                onContext(() -> fail(op, f.cause()));
            }
        });
    }

    private void fail(Op op, Throwable failure) {
        markClosed();
        channel.close();
        engine.complete(op, ErrnoMapping.result(failure));
    }

    private void opened(Op op) {
        localAddress = channel.localAddress();
        onContext(() -> engine.completeWithNewHandle(op, this));
    }

    /** Any thread: the Netty channel, for options and the peer's address. */
    DatagramChannel channel() {
        return channel;
    }

    /** Loop: a send, of the copied buffer, to the target in {@link Op#argument} or to the peer. */
    void send(Op op) {
        AioSocketAddress holder = (AioSocketAddress) op.argument;
        // Read on the loop through a view: the holder's arena may be confined to the submitting thread.
        InetSocketAddress target = holder == null ? null : SockaddrCodec.decode(Segments.view(holder.struct()));
        long size = op.view.byteSize();
        int refused = target == null && !connected ? -AioErrno.EDESTADDRREQ
                : target != null && connected ? -AioErrno.EISCONN
                : outputShut ? -AioErrno.EPIPE
                : target != null && !ipv6 && target.getAddress() instanceof Inet6Address ? -AioErrno.EAFNOSUPPORT
                : size == 0 ? -AioErrno.EINVAL
                : size > 0xffff ? -AioErrno.EMSGSIZE // what the kernel answers, without copying it first
                : 0;
        if (refused != 0) {
            engine.complete(op, refused);
            return;
        }
        int n = (int) size;
        ByteBuf bytes = channel.alloc().directBuffer(n, n);
        bytes.writeBytes(op.view.asByteBuffer());
        sends.add(op);
        channel.writeAndFlush(target == null ? bytes : new DatagramPacket(bytes, target)).addListener(f -> {
            sends.remove(op);
            onContext(() -> engine.complete(op, f.isSuccess() ? n : ErrnoMapping.result(f.cause())));
        });
    }

    /** Loop: a receive, served from what is queued or when Netty reads. */
    void receive(Op op) {
        receives.add(op);
        op.canceller = this;
        serve();
    }

    /**
     * Loop: marks the socket shut as {@code shutdown(2)} does a UDP socket; completes with 0, or {@code -ENOTCONN}
     * for a socket that is not connected, which Linux shuts all the same.
     */
    void shutdown(Op op, AioShutdown how) {
        inputShut |= how != AioShutdown.WRITE;
        outputShut |= how != AioShutdown.READ;
        engine.complete(op, connected ? 0 : -AioErrno.ENOTCONN);
        serve();
    }

    private void serve() {
        while (!receives.isEmpty()) {
            DatagramPacket packet = inbound.poll();
            if (packet != null) {
                deliver(receives.poll(), packet);
            } else if (error != 0 || gone) {
                int e = error != 0 ? error : -AioErrno.EIO;
                error = 0;
                engine.complete(receives.poll(), e);
            } else if (inputShut) {
                engine.complete(receives.poll(), 0);
            } else {
                break;
            }
        }
        if (!receives.isEmpty() && !isClosed() && !gone) {
            channel.read();
        }
    }

    private void deliver(Op op, DatagramPacket packet) {
        ByteBuf content = packet.content();
        int length = content.readableBytes();
        MemorySegment into = op.view;
        int n = (int) Math.min(length, into.byteSize());
        content.getBytes(content.readerIndex(), into.asSlice(0, n).asByteBuffer());
        if (op.argument instanceof AioSocketAddress sender) {
            SockaddrCodec.encode(packet.sender(), Segments.view(sender.struct()));
        }
        packet.release();
        engine.buffered(-length);
        engine.complete(op, length);
    }

    /** Runs {@code action} with the bound context current and completions queued until it returns. */
    private void onContext(Runnable action) {
        ContextInternal previous = engine.context.beginDispatch();
        engine.enter();
        try {
            action.run();
        } finally {
            engine.exit();
            engine.context.endDispatch(previous);
        }
    }

    /** Netty's side: datagrams, read failures (an ICMP port unreachable on a connected socket), the channel's end. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (!(message instanceof DatagramPacket packet) || isClosed()) {
                ReferenceCountUtil.release(message);
                return;
            }
            inbound.add(packet);
            engine.buffered(packet.content().readableBytes());
            onContext(serve);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!isClosed()) {
                error = ErrnoMapping.result(cause);
                onContext(serve);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!isClosed()) {
                gone = true;
                onContext(serve);
            }
            ctx.fireChannelInactive();
        }
    }

    @Override
    public boolean cancel(Op op) {
        return receives.remove(op);
    }

    @Override
    void close(Runnable released) {
        markClosed();
        Op op;
        while ((op = receives.poll()) != null) {
            engine.complete(op, -AioErrno.ECANCELED);
        }
        while ((op = sends.poll()) != null) {
            engine.complete(op, -AioErrno.ECANCELED);
        }
        DatagramPacket packet;
        while ((packet = inbound.poll()) != null) {
            engine.buffered(-packet.content().readableBytes());
            packet.release();
        }
        channel.close();
        released.run();
    }
}
