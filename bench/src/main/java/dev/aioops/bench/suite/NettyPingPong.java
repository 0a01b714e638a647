package dev.aioops.bench.suite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The Netty 4.2 peer of {@link AioPingPong}: the same topology (an echo server on one event loop, the clients on
 * another), the same message size and one message in flight per connection, written the way a Netty user writes it
 * (pooled direct buffers, TCP_NODELAY, write on read, flush on read complete).
 */
final class NettyPingPong implements TcpDriver {

    /** Which Netty transport. */
    enum Transport {
        /** Netty's io_uring transport. */
        IO_URING("Netty io_uring"),
        /** Netty's epoll transport. */
        EPOLL("Netty epoll");

        final String label;

        Transport(String label) {
            this.label = label;
        }

        String unavailable() {
            Throwable cause = this == IO_URING ? IoUring.unavailabilityCause() : Epoll.unavailabilityCause();
            return cause == null ? null : String.valueOf(cause);
        }

        IoHandlerFactory factory() {
            return this == IO_URING ? IoUringIoHandler.newFactory() : EpollIoHandler.newFactory();
        }

        Class<? extends ServerChannel> serverChannel() {
            return this == IO_URING ? IoUringServerSocketChannel.class : EpollServerSocketChannel.class;
        }

        Class<? extends Channel> channel() {
            return this == IO_URING ? IoUringSocketChannel.class : EpollSocketChannel.class;
        }
    }

    private final int connections;
    private final int size;
    private final NettyLoopback loopback;
    private List<Pinger> pingers = List.of();

    NettyPingPong(Transport transport, int connections, int size) {
        this.connections = connections;
        this.size = size;
        this.loopback = new NettyLoopback(transport);
    }

    @Override
    public void connect() throws Exception {
        pingers = loopback.connect(connections, Echo::new, () -> new Pinger(size), Pinger.class);
    }

    @Override
    public long run(long durationNanos) throws Exception {
        return TcpClient.runAll(pingers, durationNanos, loopback.clientLoop());
    }

    @Override
    public void close() throws Exception {
        loopback.close();
    }

    /** Writes back what it reads, flushing once per read burst. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Sends a message, waits for all of its echo, repeats until the deadline. */
    private static final class Pinger extends ChannelInboundHandlerAdapter implements TcpClient {
        private final int size;
        private Channel channel;
        private long deadline;
        private CountDownLatch done;
        private int received;
        private long roundTrips;
        private Throwable error;

        Pinger(int size) {
            this.size = size;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
        }

        @Override
        public void start(long deadline, CountDownLatch done) {
            this.deadline = deadline;
            this.done = done;
            this.roundTrips = 0;
            send();
        }

        @Override
        public long work() {
            if (error != null) {
                throw new IllegalStateException("ping-pong failed", error);
            }
            return roundTrips;
        }

        private void send() {
            received = 0;
            ByteBuf message = channel.alloc().directBuffer(size).writeZero(size);
            channel.writeAndFlush(message, channel.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            received += buf.readableBytes();
            buf.release();
            if (received < size || done == null) {
                return;
            }
            roundTrips++;
            if (System.nanoTime() < deadline) {
                send();
            } else {
                finish();
            }
        }

        /** A failed write (void promise) or read: the run ends at once rather than at the wait's limit. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(new IllegalStateException("the connection closed"));
        }

        private void fail(Throwable cause) {
            if (done != null && error == null) {
                error = cause;
                finish();
            }
        }

        private void finish() {
            CountDownLatch latch = done;
            done = null;
            latch.countDown();
        }
    }
}
