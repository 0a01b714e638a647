package dev.aioops.nio2;

import dev.aioops.nio2.internal.AioChannelGroup;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;

import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.spi.AsynchronousChannelProvider;
import java.util.List;
import java.util.Objects;

/**
 * Puts the JDK's asynchronous socket channels on aioops loops the application already has:
 *
 * <pre>{@code
 * AioGroup loops = Aio.openGroup();                                // io_uring when available
 * AsynchronousChannelGroup group = AioChannels.openGroup(loops);
 * AsynchronousServerSocketChannel server = AsynchronousServerSocketChannel.open(group).bind(null);
 * AsynchronousSocketChannel client = AsynchronousSocketChannel.open(group);  // unchanged NIO.2 code from here
 * }</pre>
 *
 * <p>Channels opened with such a group run their completion handlers on the loops of the given instances (one per
 * channel, round-robin). The application keeps owning the instances: a terminated group does not close them, and
 * closing them under open channels fails the channels' operations with
 * {@link java.nio.channels.AsynchronousCloseException}. See {@link AioChannelProvider} for the rest of the
 * behaviour and where it differs from the JDK's channels. Thread-safe.
 */
public final class AioChannels {

    private AioChannels() {
    }

    /**
     * A channel group on every member of {@code loops}.
     *
     * @param loops the aioops loops; stay the caller's to close, after the group has terminated
     * @return the group, for {@link AsynchronousSocketChannel#open(AsynchronousChannelGroup)} and
     *         {@link AsynchronousServerSocketChannel#open(AsynchronousChannelGroup)}
     */
    public static AsynchronousChannelGroup openGroup(AioGroup loops) {
        Objects.requireNonNull(loops, "loops");
        return new AioChannelGroup(AioChannelProvider.INSTANCE, loops.members(), null, null);
    }

    /**
     * A channel group on one aioops instance: every channel's handlers run on its loop.
     *
     * @param loop the aioops instance; stays the caller's to close, after the group has terminated
     * @return the group
     */
    public static AsynchronousChannelGroup openGroup(AioOperations loop) {
        Objects.requireNonNull(loop, "loop");
        return new AioChannelGroup(AioChannelProvider.INSTANCE, List.of(loop), null, null);
    }

    /**
     * The aioops channel provider, whose default group is opened with {@link dev.aioops.spi.Aio#openGroup()}.
     *
     * @return the provider
     */
    public static AsynchronousChannelProvider provider() {
        return AioChannelProvider.INSTANCE;
    }
}
