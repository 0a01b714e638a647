package dev.aioops.vertx.internal;

import dev.aioops.spi.internal.ErrnoMapping;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.NoSuchElementException;

/**
 * Reports the accept failures of a Vert.x server's listening channel ({@code EMFILE} when the process is out of
 * descriptors, {@code ENFILE}, {@code ENOBUFS}) to a {@link ListenerHandle}, so that a waiting accept completes
 * with {@code -errno} as it does on the other adapters.
 *
 * <p>Vert.x offers no hook for these: Netty's acceptor stops accepting for a second and passes the exception down
 * the listening channel's pipeline, where nothing handles it and Netty logs it. This handler sits last in that
 * pipeline and takes the exception instead (logging it would also need descriptors: under {@code EMFILE} the
 * JDK's logging could not even load its time-zone data, and the error it threw ended the acceptor thread).
 *
 * <p>Netty calls it on the acceptor thread; it hands the errno to the engine's loop.
 */
final class AcceptFailureWatch extends ChannelInboundHandlerAdapter {

    private final ContextEngine engine;
    private final ListenerHandle listener;
    private final Channel listening;

    private AcceptFailureWatch(ContextEngine engine, ListenerHandle listener, Channel listening) {
        this.engine = engine;
        this.listener = listener;
        this.listening = listening;
    }

    /**
     * Any thread: watches a listening channel until {@link #stop()}.
     *
     * @param engine   the engine whose loop the listener runs on
     * @param listener the listener to tell
     * @param listening the server's listening channel
     * @return the watch
     */
    static AcceptFailureWatch install(ContextEngine engine, ListenerHandle listener, Channel listening) {
        AcceptFailureWatch watch = new AcceptFailureWatch(engine, listener, listening);
        listening.pipeline().addLast(watch);
        return watch;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        int result = ErrnoMapping.result(cause);
        engine.enqueue(() -> listener.acceptFailed(result));
    }

    /** Any thread: stops watching (the channel may outlive the listener when Vert.x shares it). */
    void stop() {
        try {
            listening.pipeline().remove(this);
        } catch (NoSuchElementException alreadyGone) {
            // The channel has closed and its pipeline let go of every handler.
        }
    }
}
