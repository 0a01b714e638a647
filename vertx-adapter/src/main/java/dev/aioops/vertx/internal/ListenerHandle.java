package dev.aioops.vertx.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioListenOptions;
import io.netty.channel.Channel;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

import java.net.SocketAddress;
import java.time.ZoneId;
import java.util.ArrayDeque;

/**
 * A listening TCP or Unix domain socket: a Vert.x {@link NetServer} whose connections wait, each already buffering
 * its first bytes, until an accept takes one. At most {@code backlog} connections wait; beyond that a new connection is
 * closed at once, as a full backlog would refuse it. Loop thread only, except {@link #localAddress}.
 *
 * <p>Closing a Vert.x server closes every connection it accepted, which a closed listening socket does not do.
 * So closing this handle stops accepting at once (a new connection is closed), and the server itself, with its
 * port, is closed when the last connection it accepted has been closed as well.
 *
 * <p>Vert.x accepts without asking, so an accept failure (out of descriptors) reaches an accept only through the
 * {@link AcceptFailureWatch} installed with the first connection, which gives the listening channel: from then
 * on a waiting accept completes with the failure's {@code -errno}, and Netty retries on its own a second later.
 */
final class ListenerHandle extends AioHandle implements Canceller {

    static {
        // Before a listener's first connection an accept failure has no watch yet, and Netty logs it. Out of
        // descriptors, the JDK's logging could not then open its time-zone data; the class that failed to load
        // stays unusable for the rest of the JVM, and the error it threw ended Vert.x's acceptor thread. Loading
        // the data now, with the first listener, while descriptors are free, keeps such a log line harmless.
        ZoneId.systemDefault().getRules();
    }

    private final VertxEngine engine;
    private final NetServer server;
    /** Set once the server is bound, before the handle is given a number. */
    volatile SocketAddress localAddress;
    private final int backlog;
    /** The listen's options, the inherited ones of which each accepted connection gets. */
    private final AioListenOptions options;
    private final ArrayDeque<SocketHandle> waiting = new ArrayDeque<>();
    private final ArrayDeque<Op> accepts = new ArrayDeque<>();
    private final Runnable connectionReleased = this::connectionReleased;
    /** Connections accepted by the server and not yet closed. */
    private int liveConnections;
    /** Watches the listening channel from the first connection on; null before. */
    private AcceptFailureWatch failures;

    ListenerHandle(VertxEngine engine, NetServer server, int backlog, AioListenOptions options) {
        this.engine = engine;
        this.server = server;
        this.backlog = backlog;
        this.options = options;
    }

    /** Loop: the server is bound to this address. */
    void bound(SocketAddress address) {
        this.localAddress = address;
    }

    /** Loop: Vert.x accepted a connection. */
    void onConnection(NetSocket socket) {
        if (failures == null && !isClosed()) {
            watchFailures(((NetSocketInternal) socket).channelHandlerContext().channel().parent());
        }
        if (isClosed() || (accepts.isEmpty() && waiting.size() >= backlog) || (!options.isEmpty()
                && !ListenerOptions.inherit(((NetSocketInternal) socket).channelHandlerContext().channel(), options))) {
            socket.close();
            return;
        }
        liveConnections++;
        SocketHandle connection = new SocketHandle(engine, socket, connectionReleased);
        if (accepts.isEmpty()) {
            waiting.add(connection);
        } else {
            engine.enter();
            try {
                engine.completeWithNewHandle(accepts.poll(), connection);
            } finally {
                engine.exit();
            }
        }
    }

    private void watchFailures(Channel listening) {
        if (listening != null) {
            failures = AcceptFailureWatch.install(engine, this, listening);
        }
    }

    /**
     * Loop: the server failed to accept a connection. The oldest waiting accept completes with the failure; with
     * none waiting nothing is kept, as a later accept on the other adapters fails only if accepting still does.
     *
     * @param result {@code -errno}
     */
    void acceptFailed(int result) {
        if (isClosed() || !waiting.isEmpty()) {
            return;
        }
        Op op = accepts.poll();
        if (op != null) {
            engine.enter();
            try {
                engine.complete(op, result);
            } finally {
                engine.exit();
            }
        }
    }

    /** Loop: an accept. */
    void accept(Op op) {
        SocketHandle connection = waiting.poll();
        if (connection != null) {
            engine.completeWithNewHandle(op, connection);
        } else {
            accepts.add(op);
            op.canceller = this;
        }
    }

    @Override
    public boolean cancel(Op op) {
        return accepts.remove(op);
    }

    @Override
    void close(Runnable released) {
        markClosed();
        if (failures != null) {
            failures.stop();
        }
        Op op;
        while ((op = accepts.poll()) != null) {
            engine.complete(op, -AioErrno.ECANCELED);
        }
        SocketHandle connection;
        while ((connection = waiting.poll()) != null) {
            connection.close(() -> { });
        }
        releaseServerIfIdle();
        released.run();
    }

    private void connectionReleased() {
        liveConnections--;
        releaseServerIfIdle();
    }

    private void releaseServerIfIdle() {
        if (isClosed() && liveConnections == 0) {
            server.close();
        }
    }
}
