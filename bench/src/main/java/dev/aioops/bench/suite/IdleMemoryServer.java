package dev.aioops.bench.suite;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioAcceptHandler;
import dev.aioops.spi.AioChunkHandler;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.uring.IoUringBufferRingConfig;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringFixedBufferRingAllocator;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringIoHandlerConfig;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.bootstrap.ServerBootstrap;

import javax.management.ObjectName;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server of the idle-memory workload, in a JVM of its own started by {@link IdleMemoryContenders}, so that its
 * resident memory is its own: it accepts connections, arms a receive on each (a multishot receive, one pending read
 * into a buffer of its own, or whatever Netty arms), and waits. Data that arrives is discarded; a connection the
 * peer closes is closed.
 *
 * <p>Commands on standard input, one a line, each answered with one line on standard output:
 * {@code count} (the connections open and armed), {@code measure} (after full GCs: live heap, VmRSS and native
 * memory outside the heap and the JIT, in bytes), {@code histogram PATH} (writes {@code GC.class_histogram} there).
 * The first line it prints is {@code port N}; it exits when standard input ends.
 */
public final class IdleMemoryServer {

    /** The buffer of one connection's pending read in the read-per-connection modes, as Netty's epoll default. */
    static final int READ_BUFFER = 16 * 1024;
    /** NMT categories that are not per-connection state: the heap (counted live instead), classes and the JIT's. */
    private static final Set<String> NOT_CONNECTION_STATE = Set.of("Java Heap", "Class", "Code", "Compiler",
            "Symbol", "Arena Chunk", "Metaspace", "Shared class space", "Module", "Native Memory Tracking");
    private static final Pattern CATEGORY = Pattern.compile("-\\s*(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

    private static final AtomicInteger OPEN = new AtomicInteger();

    private IdleMemoryServer() {
    }

    /**
     * Runs the server.
     *
     * @param args the mode: {@code uring-receive}, {@code uring-read}, {@code epoll-receive}, {@code epoll-read},
     *             {@code netty} or {@code netty-ring}
     * @throws Exception if the server cannot start
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int port = mode.startsWith("netty") ? netty(mode.equals("netty-ring")) : aioops(mode);
        System.out.println("port " + port);
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("count")) {
                System.out.println("count " + OPEN.get());
            } else if (line.equals("measure")) {
                System.out.println("measure " + measure());
            } else if (line.startsWith("histogram ")) {
                Files.writeString(Path.of(line.substring("histogram ".length())), diagnostic("gcClassHistogram"));
                System.out.println("histogram");
            }
            System.out.flush();
        }
        Runtime.getRuntime().halt(0);
    }

    private static int aioops(String mode) throws Exception {
        String adapter = mode.substring(0, mode.indexOf('-'));
        boolean receive = mode.endsWith("-receive");
        AioProvider provider = Aio.providers().stream().filter(p -> p.name().equals(adapter)).findFirst()
                .orElseThrow();
        AioOperations ops = provider.open(AioConfig.builder().queueDepth(4096).threadName("idle-server").build());
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        ops.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096, null,
                (r, a) -> listening.complete(r));
        int listener = AioErrno.check(listening.get(10, TimeUnit.SECONDS), "listen");
        ops.acceptStream(listener, null, new AioAcceptHandler<Object>() {
            @Override
            public void accepted(Object attachment, int handle) {
                OPEN.incrementAndGet();
                if (receive) {
                    ops.receiveChunks(handle, new Connection(ops, handle, null, null), Receiver.INSTANCE);
                } else {
                    Arena arena = Arena.ofConfined();
                    Connection c = new Connection(ops, handle, arena, arena.allocate(READ_BUFFER));
                    ops.read(handle, c.buffer, AioOperations.STREAM, c, Reader.INSTANCE);
                }
            }

            @Override
            public void end(int result, Object attachment) {
            }
        });
        return ((InetSocketAddress) ops.localAddress(listener)).getPort();
    }

    /** What the server keeps per connection: the handle and, when it reads, the buffer and its arena. */
    private record Connection(AioOperations ops, int handle, Arena arena, MemorySegment buffer) {

        void close() {
            ops.close(handle, null, (r, a) -> { });
            if (arena != null) {
                arena.close();
            }
            OPEN.decrementAndGet();
        }
    }

    /** Discards what arrives, closes at the end. */
    private enum Receiver implements AioChunkHandler<Connection> {
        INSTANCE;

        @Override
        public boolean chunk(Connection c, MemorySegment data, long chunk) {
            return false;
        }

        @Override
        public void end(int result, Connection c) {
            c.close();
        }
    }

    /** Reads again after data, closes at the end of the stream or an error. */
    private enum Reader implements AioCompletion<Connection> {
        INSTANCE;

        @Override
        public void completed(int result, Connection c) {
            if (result > 0) {
                c.ops.read(c.handle, c.buffer, AioOperations.STREAM, c, this);
            } else {
                c.close();
            }
        }
    }

    private static int netty(boolean bufferRing) throws Exception {
        IoUringIoHandlerConfig config = new IoUringIoHandlerConfig();
        ServerBootstrap bootstrap = new ServerBootstrap();
        if (bufferRing) {
            // As many buffers of the size aioops's ring has (AioConfig's defaults): 256 x 16 KiB.
            short group = 1;
            config.setBufferRingConfig(IoUringBufferRingConfig.builder().bufferGroupId(group)
                    .bufferRingSize((short) 256).batchSize(64)
                    .allocator(new IoUringFixedBufferRingAllocator(READ_BUFFER)).build());
            bootstrap.childOption(IoUringChannelOption.IO_URING_BUFFER_GROUP_ID, group);
        }
        EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, IoUringIoHandler.newFactory(config));
        ChannelHandler counter = new Discard();
        Channel listener = bootstrap.group(loop).channel(IoUringServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(counter);
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Counts the open channels and drops what arrives; shared by every channel. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            OPEN.incrementAndGet();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            OPEN.decrementAndGet();
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    /** {@code heap rss native}: live heap after full GCs, VmRSS, and NMT's committed memory that can be state. */
    private static String measure() throws Exception {
        for (int i = 0; i < 2; i++) {
            System.gc();
            Thread.sleep(100);
        }
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        long rss = -1;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        long nativeKb = 0;
        Matcher m = CATEGORY.matcher(diagnostic("vmNativeMemory", "summary"));
        boolean any = false;
        while (m.find()) {
            any = true;
            if (!NOT_CONNECTION_STATE.contains(m.group(1).trim())) {
                nativeKb += Long.parseLong(m.group(2));
            }
        }
        if (!any) {
            throw new IllegalStateException("NMT is off: run with -XX:NativeMemoryTracking=summary");
        }
        return heap + " " + rss + " " + nativeKb * 1024;
    }

    private static String diagnostic(String operation, String... args) throws Exception {
        return (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), operation, new Object[] {args},
                new String[] {String[].class.getName()});
    }
}
