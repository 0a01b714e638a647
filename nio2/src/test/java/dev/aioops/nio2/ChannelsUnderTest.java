package dev.aioops.nio2;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioProvider;

import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One implementation of the JDK's asynchronous channels under test: the JDK's own, or aioops's on one adapter. The
 * behaviour tests run unchanged against each, so that any difference shows.
 */
interface ChannelsUnderTest {

    /** The group socket channels are opened in. */
    AsynchronousChannelGroup group();

    /** Called inside a completion handler: whether it runs on one of the group's (or file channel's) threads. */
    boolean onHandlerThread();

    /** Opens a file channel, as the implementation's users do. */
    AsynchronousFileChannel openFile(Path path, Set<? extends OpenOption> options) throws IOException;

    /** Whether file locks are implemented (the JDK's) or refused with UnsupportedOperationException (aioops). */
    boolean supportsLocks();

    /** Whether server channels can share a port with SO_REUSEPORT set before bind. */
    default boolean reusesPort() {
        return true;
    }

    /** Closes the group and everything opened for it. */
    void close() throws Exception;

    /** Opens a session (a channel group) per test; the backend itself lives as long as a test class. */
    interface Backend {
        ChannelsUnderTest session() throws IOException;

        void close();
    }

    /** The JDK's channels. */
    static Backend jdkBackend() {
        return new Backend() {
            @Override
            public ChannelsUnderTest session() throws IOException {
                return jdk();
            }

            @Override
            public void close() {
            }
        };
    }

    /** aioops's channels on an adapter: a group of two loops, opened once, a channel group on them per session. */
    static Backend aioopsBackend(AioProvider provider) {
        AioGroup loops = provider.openGroup(AioConfig.defaults(), 2);
        return new Backend() {
            @Override
            public ChannelsUnderTest session() {
                return aioops(provider, loops);
            }

            @Override
            public void close() {
                loops.close();
            }
        };
    }

    /** The JDK's channels: a fixed thread pool group of two threads, file channels on a pool of two threads. */
    static ChannelsUnderTest jdk() throws IOException {
        AtomicInteger n = new AtomicInteger();
        AsynchronousChannelGroup group = AsynchronousChannelGroup.withFixedThreadPool(2,
                r -> new Thread(r, "jdk-nio2-group-" + n.incrementAndGet()));
        ExecutorService files = Executors.newFixedThreadPool(2, r -> new Thread(r, "jdk-nio2-file"));
        return new ChannelsUnderTest() {
            @Override
            public AsynchronousChannelGroup group() {
                return group;
            }

            @Override
            public boolean onHandlerThread() {
                return Thread.currentThread().getName().startsWith("jdk-nio2-");
            }

            @Override
            public AsynchronousFileChannel openFile(Path path, Set<? extends OpenOption> options)
                    throws IOException {
                return AsynchronousFileChannel.open(path, options, files);
            }

            @Override
            public boolean supportsLocks() {
                return true;
            }

            @Override
            public void close() throws Exception {
                group.shutdownNow();
                group.awaitTermination(10, TimeUnit.SECONDS);
                files.shutdownNow();
            }
        };
    }

    /** aioops's channels on the loops of an adapter's group, files on its members. */
    static ChannelsUnderTest aioops(AioProvider provider, AioGroup loops) {
        AsynchronousChannelGroup group = AioChannels.openGroup(loops);
        return new ChannelsUnderTest() {
            @Override
            public AsynchronousChannelGroup group() {
                return group;
            }

            @Override
            public boolean onHandlerThread() {
                return loops.current() != null;
            }

            @Override
            public AsynchronousFileChannel openFile(Path path, Set<? extends OpenOption> options)
                    throws IOException {
                return AioFileChannels.open(loops, path, options);
            }

            @Override
            public boolean supportsLocks() {
                return false;
            }

            @Override
            public boolean reusesPort() {
                return loops.member(0).supports(dev.aioops.spi.AioCapability.REUSE_PORT);
            }

            @Override
            public void close() throws Exception {
                group.shutdownNow();
                if (!group.awaitTermination(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("the channel group did not terminate after shutdownNow");
                }
            }
        };
    }
}
