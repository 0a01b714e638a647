package dev.aioops.bench.suite;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The Netty 4.2 peer of {@link AioStreaming}: the same topology (the server on one event loop, the clients on
 * another), the same messages and one write in flight per connection, written the way a Netty user writes it: each
 * client writes a retained duplicate of its one pooled direct message and writes the next from the write's listener;
 * the server counts what its reads bring and releases the buffers.
 */
final class NettyStreaming implements TcpDriver {

    private final int connections;
    private final int size;
    private final NettyLoopback loopback;
    private final StreamingTally tally;
    private List<Streamer> streamers = List.of();

    NettyStreaming(NettyPingPong.Transport transport, int connections, int size) {
        this.connections = connections;
        this.size = size;
        this.loopback = new NettyLoopback(transport);
        this.tally = new StreamingTally(size);
    }

    @Override
    public void connect() throws Exception {
        streamers = loopback.connect(connections, () -> new Sink(tally), () -> new Streamer(size), Streamer.class);
    }

    /**
     * Streams on every connection until the deadline, then waits until the server has received every byte written;
     * returns the number of bytes.
     */
    @Override
    public long run(long durationNanos) throws Exception {
        long written = TcpClient.runAll(streamers, durationNanos, loopback.clientLoop());
        tally.drain(written, loopback.serverLoop()::execute, TcpClient.WAIT_SECONDS);
        return written;
    }

    @Override
    public void close() throws Exception {
        loopback.close();
    }

    /** Counts what it reads and releases it; all sinks share the server's one event loop, and so the tally. */
    private static final class Sink extends ChannelInboundHandlerAdapter {
        private final StreamingTally tally;
        private long offset;

        Sink(StreamingTally tally) {
            this.tally = tally;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            int n = buf.readableBytes();
            if (n > 0) {
                int at = buf.readerIndex();
                tally.received(offset, n, buf.getByte(at), buf.getByte(at + n - 1));
                offset += n;
            }
            buf.release();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            tally.fail("server: " + cause);
            ctx.close();
        }
    }

    /** Writes its message again and again until the deadline, the next one when the last is written. */
    private static final class Streamer extends ChannelInboundHandlerAdapter
            implements ChannelFutureListener, TcpClient {
        private final int size;
        private ByteBuf message;
        private Channel channel;
        private long deadline;
        private CountDownLatch done;
        /** Bytes written in this run. */
        private long written;
        private Throwable error;

        Streamer(int size) {
            this.size = size;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            message = ctx.alloc().directBuffer(size);
            for (int j = 0; j < size; j++) {
                message.writeByte(StreamingTally.patternAt(j, size));
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            message.release();
        }

        @Override
        public void start(long deadline, CountDownLatch done) {
            this.deadline = deadline;
            this.done = done;
            written = 0;
            send();
        }

        @Override
        public long work() {
            if (error != null) {
                throw new IllegalStateException("streaming write failed", error);
            }
            return written;
        }

        private void send() {
            channel.writeAndFlush(message.retainedDuplicate()).addListener(this);
        }

        @Override
        public void operationComplete(ChannelFuture future) {
            if (!future.isSuccess()) {
                error = future.cause();
                done.countDown();
                return;
            }
            written += size;
            if (System.nanoTime() < deadline) {
                send();
            } else {
                done.countDown();
            }
        }
    }
}
