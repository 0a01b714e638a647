package dev.aioops.nio2.internal;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioListenOptions;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioSocketOption;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.AcceptPendingException;
import java.nio.channels.AlreadyBoundException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;

/**
 * An {@link AsynchronousServerSocketChannel} on one aioops instance: {@link #bind} listens
 * ({@link AioOperations#listen}, on the next member of the group whose loop is not the caller's), and every accepted
 * connection is an {@link AioSocketChannel} on that same member, whose loop runs the handlers of both.
 *
 * <p>Options set before {@code bind} are set between {@code socket(2)} and {@code bind(2)}
 * ({@link AioListenOptions}), so {@code SO_REUSEPORT} lets channels share a port as with the JDK's (on adapters with
 * {@link AioCapability#REUSE_PORT}; elsewhere the bind fails). Where it differs from the JDK's: {@code bind} waits
 * for the listen and is refused on the loop of the group's only member. On an adapter without
 * {@link AioCapability#LISTENER_SOCKET_OPTIONS} (Vert.x native) options cannot be changed once bound, and
 * {@code getOption} gives the values set before the bind, or the defaults.
 */
public final class AioServerSocketChannel extends AsynchronousServerSocketChannel
        implements PendingFuture.Owner, AioCompletion<Object> {

    private final AioChannelGroup group;
    private final Object stateLock = new Object();
    private final Map<AioSocketOption, Integer> presets = new EnumMap<>(AioSocketOption.class);
    private volatile AioOperations ops;
    private volatile int handle = -1;
    private volatile boolean closed;
    private boolean accepting;
    private boolean acceptKilled;

    /**
     * An unbound server channel.
     *
     * @param group its group; the channel is counted in it
     * @throws java.nio.channels.ShutdownChannelGroupException if the group is shut down
     */
    @SuppressWarnings("this-escape") // the group counts the channel in; it calls nothing on it until closed
    public AioServerSocketChannel(AioChannelGroup group) {
        super(group.provider());
        this.group = group;
        group.register(this);
    }

    @Override
    public AsynchronousServerSocketChannel bind(SocketAddress local, int backlog) throws IOException {
        ensureOpen();
        InetSocketAddress address = local == null ? new InetSocketAddress(0) : check(local);
        AioOperations member;
        synchronized (stateLock) {
            if (handle >= 0 || ops != null) {
                throw new AlreadyBoundException();
            }
            member = group.memberToWaitFor("AsynchronousServerSocketChannel.bind");
            ops = member;
        }
        AioListenOptions options = AioListenOptions.defaults();
        synchronized (stateLock) {
            for (Map.Entry<AioSocketOption, Integer> e : presets.entrySet()) {
                options = options.with(e.getKey(), e.getValue());
            }
        }
        AioListenOptions listenOptions = options;
        int r = Await.call(member, "AsynchronousServerSocketChannel.bind",
                (a, c) -> member.listen(address, backlog < 1 ? 50 : backlog, listenOptions, a, c));
        if (r < 0) {
            synchronized (stateLock) {
                ops = null;
            }
            throw Failures.bind(r);
        }
        boolean closedMeanwhile;
        synchronized (stateLock) {
            handle = r;
            closedMeanwhile = closed;
        }
        if (closedMeanwhile) {
            member.close(r, null, (res, a) -> { });
            throw new ClosedChannelException();
        }
        return this;
    }

    private static InetSocketAddress check(SocketAddress local) {
        if (!(local instanceof InetSocketAddress isa)) {
            throw new UnsupportedAddressTypeException();
        }
        if (isa.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return isa;
    }

    @Override
    public <T> AsynchronousServerSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        AioSocketOption option = SocketOptions.of(name, SocketOptions.LISTENER);
        int v = SocketOptions.encode(option, value);
        ensureOpen();
        synchronized (stateLock) {
            if (handle < 0) {
                presets.put(option, v); // set between socket(2) and bind(2) by the listen
                return this;
            }
        }
        ops.setSocketOption(handle, option, v);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        AioSocketOption option = SocketOptions.of(name, SocketOptions.LISTENER);
        ensureOpen();
        synchronized (stateLock) {
            if (handle < 0 || !group.supports(AioCapability.LISTENER_SOCKET_OPTIONS)) {
                Integer preset = presets.get(option);
                if (preset != null) {
                    return SocketOptions.decode(option, preset);
                }
                // As a new JDK server socket channel: SO_REUSEADDR on (Linux), the rest the kernel's defaults.
                return SocketOptions.decode(option, option == AioSocketOption.SO_REUSEADDR ? 1
                        : SocketOptions.unsetDefault(option));
            }
        }
        return SocketOptions.decode(option, ops.socketOption(handle, option));
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return SocketOptions.LISTENER;
    }

    @Override
    public <A> void accept(A attachment, CompletionHandler<AsynchronousSocketChannel, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        startAccept(attachment, handler);
    }

    @Override
    public Future<AsynchronousSocketChannel> accept() {
        return startAccept(null, null);
    }

    private <A> Future<AsynchronousSocketChannel> startAccept(A att,
                                                              CompletionHandler<AsynchronousSocketChannel, ? super A> h) {
        AioOperations member = ops;
        if (closed) {
            return Deliver.soon(member != null ? member : group.nextMember(), h, att, null,
                    new ClosedChannelException());
        }
        int listener = handle;
        if (listener < 0) {
            throw new NotYetBoundException();
        }
        synchronized (stateLock) {
            if (acceptKilled) {
                throw new IllegalStateException("Accept not allowed due to cancellation");
            }
            if (accepting) {
                throw new AcceptPendingException();
            }
            accepting = true;
        }
        PendingFuture<AsynchronousSocketChannel> f = h == null ? new PendingFuture<>(this, 0) : null;
        Accept<A> a = new Accept<>(member, h, att, f);
        long token;
        try {
            token = member.accept(listener, a, a);
        } catch (IllegalStateException instanceClosed) {
            synchronized (stateLock) {
                accepting = false;
            }
            return Deliver.soon(member, h, att, null, new ClosedChannelException());
        }
        if (f != null) {
            f.submitted(token);
        }
        return f;
    }

    /** An accept in flight: wraps the new connection in a channel of the group. */
    private final class Accept<A> implements AioCompletion<Accept<A>> {
        private final AioOperations member;
        private final CompletionHandler<AsynchronousSocketChannel, ? super A> handler;
        private final A att;
        private final PendingFuture<AsynchronousSocketChannel> future;

        Accept(AioOperations member, CompletionHandler<AsynchronousSocketChannel, ? super A> handler, A att,
               PendingFuture<AsynchronousSocketChannel> future) {
            this.member = member;
            this.handler = handler;
            this.att = att;
            this.future = future;
        }

        @Override
        public void completed(int result, Accept<A> self) {
            synchronized (stateLock) {
                accepting = false;
            }
            AsynchronousSocketChannel channel = null;
            Throwable error = null;
            if (result < 0) {
                error = Failures.io(result, closed, false, "accept");
            } else {
                try {
                    SocketAddress peer = member.remoteAddress(result);
                    member.setSocketOption(result, AioSocketOption.TCP_NODELAY, 0); // the JDK's default
                    channel = new AioSocketChannel(group, member, result, peer);
                } catch (IOException | RuntimeException e) {
                    member.close(result, null, (r, a) -> { });
                    error = e;
                }
            }
            Deliver.fromCompletion(member, handler, att, future, channel, error);
        }
    }

    @Override
    public void cancelled(int kind, long token, boolean interrupt) {
        synchronized (stateLock) {
            acceptKilled = true;
        }
        if (token != 0) {
            ops.cancel(token);
        }
        if (interrupt) {
            close();
        }
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        int h = handle;
        return h < 0 ? null : ops.localAddress(h);
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /** Closes the listener: a pending accept fails with {@link java.nio.channels.AsynchronousCloseException}. */
    @Override
    public void close() {
        int h;
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            closed = true;
            h = handle;
        }
        if (h >= 0) {
            try {
                ops.close(h, null, this);
                return;
            } catch (IllegalStateException instanceClosed) {
                // nothing is left in flight on a closed instance
            }
        }
        completed(0, null);
    }

    /** The listener's close has completed: the channel is done. */
    @Override
    public void completed(int result, Object attachment) {
        group.deregister(this);
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public String toString() {
        return "AioServerSocketChannel[" + (closed ? "closed" : handle < 0 ? "unbound" : "bound") + "]";
    }
}
