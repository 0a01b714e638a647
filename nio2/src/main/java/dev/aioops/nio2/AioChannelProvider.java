package dev.aioops.nio2;

import dev.aioops.nio2.internal.AioChannelGroup;
import dev.aioops.nio2.internal.AioServerSocketChannel;
import dev.aioops.nio2.internal.AioSocketChannel;
import dev.aioops.spi.Aio;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;

import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.IllegalChannelGroupException;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The JDK's {@link AsynchronousChannelProvider} on aioops: socket channels and channel groups whose threads are
 * aioops loops, so that NIO.2 code runs on io_uring (or the adapter {@link Aio} chooses) without a change.
 *
 * <p><b>As the JDK's provider.</b> Start the JVM with
 * {@code -Djava.nio.channels.spi.AsynchronousChannelProvider=dev.aioops.nio2.AioChannelProvider}: then
 * {@link AsynchronousSocketChannel#open()}, {@link AsynchronousServerSocketChannel#open()} and
 * {@link AsynchronousChannelGroup}'s factories all come from here. Channels opened without a group use the
 * <i>default group</i>: an {@link AioGroup} opened with {@link Aio#openGroup(AioConfig)} on first use, one member
 * per available processor, daemon loop threads, never closed (as the JDK's default group). The property does not
 * reach {@link java.nio.channels.AsynchronousFileChannel#open}, which the JDK routes through the file system
 * provider: open files with {@link AioFileChannels}.
 *
 * <p><b>Groups.</b> {@link #openAsynchronousChannelGroup(int, ThreadFactory)} opens an {@link AioGroup} of
 * {@code nThreads} members; the thread factory is not used (aioops loops make their own threads). The
 * {@link ExecutorService} form opens one of {@code initialSize} members (one per processor when below 1) and shuts
 * the executor down when the group terminates, without running anything on it. Either group closes its loops when
 * it terminates. To put channels on loops of your own, use {@link AioChannels#openGroup(AioGroup)}.
 *
 * <p><b>Channels.</b> Handlers run on the loop of the member the channel is bound to (round-robin at open; an
 * accepted connection shares its server channel's member). Only {@link java.net.InetSocketAddress}es are supported,
 * as by the JDK's asynchronous socket channels. Differences from the JDK's channels, each documented where it
 * applies: a client channel cannot be bound to a local address before it connects; {@code bind} on a server
 * channel waits for the listen, so it is refused on the loop of a group's only member.
 *
 * <p>Thread-safe.
 */
public final class AioChannelProvider extends AsynchronousChannelProvider {

    /** The provider that {@link AioChannels} uses. */
    static final AioChannelProvider INSTANCE = new AioChannelProvider();

    /** For the JDK's system property and {@link java.util.ServiceLoader}; all instances share one default group. */
    public AioChannelProvider() {
    }

    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(int nThreads, ThreadFactory threadFactory) {
        if (nThreads <= 0) {
            throw new IllegalArgumentException("'nThreads' must be > 0");
        }
        AioGroup loops = Aio.openGroup(AioConfig.defaults(), nThreads);
        return new AioChannelGroup(this, loops.members(), loops, null);
    }

    @Override
    public AsynchronousChannelGroup openAsynchronousChannelGroup(ExecutorService executor, int initialSize) {
        if (executor == null) {
            throw new NullPointerException("'executor' is null");
        }
        int size = initialSize > 0 ? initialSize : Runtime.getRuntime().availableProcessors();
        AioGroup loops = Aio.openGroup(AioConfig.defaults(), size);
        return new AioChannelGroup(this, loops.members(), loops, executor);
    }

    @Override
    public AsynchronousServerSocketChannel openAsynchronousServerSocketChannel(AsynchronousChannelGroup group) {
        return new AioServerSocketChannel(ours(group));
    }

    @Override
    public AsynchronousSocketChannel openAsynchronousSocketChannel(AsynchronousChannelGroup group) {
        return new AioSocketChannel(ours(group));
    }

    private static AioChannelGroup ours(AsynchronousChannelGroup group) {
        if (group == null) {
            return DefaultGroup.GROUP;
        }
        if (!(group instanceof AioChannelGroup g)) {
            throw new IllegalChannelGroupException();
        }
        return g;
    }

    /** The default group, opened on first use. */
    private static final class DefaultGroup {
        static final AioChannelGroup GROUP = open();

        private static AioChannelGroup open() {
            AioGroup loops = Aio.openGroup(AioConfig.builder().daemon(true).build());
            return new AioChannelGroup(INSTANCE, loops.members(), null, null);
        }
    }
}
