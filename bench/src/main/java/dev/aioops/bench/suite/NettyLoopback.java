package dev.aioops.bench.suite;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUringChannelOption;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The topology of the TCP workloads on Netty 4.2, the peer of {@link AioLoopback}: a server on one event loop, the
 * clients on another, over loopback, with {@code TCP_NODELAY} on both ends as aioops sets it. Set up and torn down
 * unmeasured.
 */
final class NettyLoopback {

    /**
     * For measuring {@code SEND_ZC} on this machine: Netty io_uring clients send writes of at least this many bytes
     * with {@code IORING_OP_SEND_ZC} ({@code IO_URING_WRITE_ZERO_COPY_THRESHOLD}); unset, Netty's default (off).
     */
    static final String ZERO_COPY_PROPERTY = "aioops.bench.nettyZeroCopyThreshold";

    private final NettyPingPong.Transport transport;
    private final EventLoopGroup serverGroup;
    private final EventLoopGroup clientGroup;
    private final List<Channel> channels = new ArrayList<>();
    private Channel listener;

    NettyLoopback(NettyPingPong.Transport transport) {
        this.transport = transport;
        this.serverGroup = new MultiThreadIoEventLoopGroup(1, transport.factory());
        this.clientGroup = new MultiThreadIoEventLoopGroup(1, transport.factory());
    }

    /**
     * Binds a server whose every accepted channel gets a handler from {@code serverHandler}, and connects
     * {@code connections} clients, each with a handler from {@code clientHandler}. Returns the clients' handlers.
     */
    <H extends ChannelHandler> List<H> connect(int connections, Supplier<? extends ChannelHandler> serverHandler,
                                               Supplier<H> clientHandler, Class<H> handlerType) throws Exception {
        listener = new ServerBootstrap().group(serverGroup).channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(serverHandler.get());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        Bootstrap client = new Bootstrap().group(clientGroup).channel(transport.channel())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(clientHandler.get());
                    }
                });
        int zeroCopy = Integer.getInteger(ZERO_COPY_PROPERTY, -1);
        if (zeroCopy >= 0 && transport == NettyPingPong.Transport.IO_URING) {
            client.option(IoUringChannelOption.IO_URING_WRITE_ZERO_COPY_THRESHOLD, zeroCopy);
        }
        List<H> handlers = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            Channel ch = client.connect(listener.localAddress()).sync().channel();
            channels.add(ch);
            handlers.add(ch.pipeline().get(handlerType));
        }
        return handlers;
    }

    /** The clients' event loop, the one thread every client channel runs on. */
    EventLoop clientLoop() {
        return clientGroup.next();
    }

    /** The server's event loop, the one thread every server channel runs on. */
    EventLoop serverLoop() {
        return serverGroup.next();
    }

    /** Closes the clients, the listener, and both event loops, which are shut down even if a close fails. */
    void close() throws Exception {
        try {
            for (Channel ch : channels) {
                ch.close().sync();
            }
            if (listener != null) {
                listener.close().sync();
            }
        } finally {
            clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
