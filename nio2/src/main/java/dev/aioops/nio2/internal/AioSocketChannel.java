package dev.aioops.nio2.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioSocketOption;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An {@link AsynchronousSocketChannel} on one aioops instance (a member of its {@link AioChannelGroup}). A TCP
 * connection: the socket is created by the connect ({@link AioOperations#connect}) or the accept that made it.
 * Completion handlers run on the member's loop. See {@link SocketIo} for reads and writes.
 *
 * <p>Where it differs from the JDK's: {@link #bind} to a local address is refused (aioops creates the socket at
 * connect time and binds it to an ephemeral port); options set before the connect are applied when it succeeds;
 * {@code TCP_NODELAY} is off after connect and accept, as on the JDK's channels (aioops itself turns it on).
 */
public final class AioSocketChannel extends AsynchronousSocketChannel
        implements PendingFuture.Owner, AioCompletion<Object> {

    static final int CONNECT = 0;
    static final int READ = 1;
    static final int WRITE = 2;

    private static final int UNCONNECTED = 0;
    private static final int PENDING = 1;
    private static final int CONNECTED = 2;

    private final AioChannelGroup group;
    final AioOperations ops;
    private final SocketIo reader = new SocketIo(this, true);
    private final SocketIo writer = new SocketIo(this, false);
    private final Object stateLock = new Object();
    private final Map<AioSocketOption, Integer> presets = new EnumMap<>(AioSocketOption.class);
    private int state;
    private long connectToken;
    private volatile boolean closed;
    private volatile int handle = -1;
    private volatile SocketAddress remote;

    /**
     * An unconnected channel, bound to the group's next member.
     *
     * @param group its group; the channel is counted in it
     * @throws java.nio.channels.ShutdownChannelGroupException if the group is shut down
     */
    public AioSocketChannel(AioChannelGroup group) {
        this(group, group.nextMember(), -1, null);
    }

    /** A connection accepted on {@code ops} as {@code handle}. */
    @SuppressWarnings("this-escape") // the group counts the channel in; it calls nothing on it until closed
    AioSocketChannel(AioChannelGroup group, AioOperations ops, int handle, SocketAddress remote) {
        super(group.provider());
        this.group = group;
        this.ops = ops;
        this.handle = handle;
        this.remote = remote;
        this.state = handle >= 0 ? CONNECTED : UNCONNECTED;
        group.register(this);
    }

    int handle() {
        return handle;
    }

    boolean isClosed() {
        return closed;
    }

    boolean isConnected() {
        return remote != null;
    }

    @Override
    public AsynchronousSocketChannel bind(SocketAddress local) throws IOException {
        ensureOpen();
        if (local != null) {
            throw new UnsupportedOperationException("aioops creates the socket when it connects and binds it to an "
                    + "ephemeral address: binding an AsynchronousSocketChannel to " + local + " is not supported; "
                    + "connect without bind");
        }
        synchronized (stateLock) {
            if (state == PENDING) {
                throw new ConnectionPendingException();
            }
            if (state == CONNECTED) {
                throw new java.nio.channels.AlreadyBoundException();
            }
        }
        return this;
    }

    @Override
    public <T> AsynchronousSocketChannel setOption(SocketOption<T> name, T value) throws IOException {
        AioSocketOption option = SocketOptions.of(name, SocketOptions.CONNECTION);
        int v = SocketOptions.encode(option, value);
        ensureOpen();
        if (writer.isShut()) {
            throw new IOException("Connection has been shutdown for writing");
        }
        synchronized (stateLock) {
            if (state != CONNECTED) {
                presets.put(option, v);
                return this;
            }
        }
        ops.setSocketOption(handle, option, v);
        return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
        AioSocketOption option = SocketOptions.of(name, SocketOptions.CONNECTION);
        ensureOpen();
        synchronized (stateLock) {
            if (state != CONNECTED) {
                Integer preset = presets.get(option);
                return SocketOptions.decode(option, preset != null ? preset : SocketOptions.unsetDefault(option));
            }
        }
        return SocketOptions.decode(option, ops.socketOption(handle, option));
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
        return SocketOptions.CONNECTION;
    }

    @Override
    public AsynchronousSocketChannel shutdownInput() throws IOException {
        return shutdown(reader, AioShutdown.READ);
    }

    @Override
    public AsynchronousSocketChannel shutdownOutput() throws IOException {
        return shutdown(writer, AioShutdown.WRITE);
    }

    /**
     * Shuts one direction down. Off the loop it waits for {@code shutdown(2)} and reports its failure; on the loop
     * (a completion handler) it cannot wait, so the shutdown is submitted and its result ignored.
     */
    private AsynchronousSocketChannel shutdown(SocketIo direction, AioShutdown how) throws IOException {
        ensureOpen();
        if (!isConnected()) {
            throw new NotYetConnectedException();
        }
        if (!direction.shut()) {
            return this;
        }
        if (ops.inLoop()) {
            ops.shutdown(handle, how, null, (r, a) -> { });
            return this;
        }
        int r = Await.call(ops, "shutdown", (a, c) -> ops.shutdown(handle, how, a, c));
        if (r < 0 && !closed) {
            throw new AioException(-r, "shutdown");
        }
        return this;
    }

    @Override
    public SocketAddress getLocalAddress() throws IOException {
        ensureOpen();
        int h = handle;
        return h < 0 ? null : ops.localAddress(h);
    }

    @Override
    public SocketAddress getRemoteAddress() throws IOException {
        ensureOpen();
        return remote;
    }

    @Override
    public <A> void connect(SocketAddress remoteAddress, A attachment,
                            CompletionHandler<Void, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        startConnect(remoteAddress, attachment, handler);
    }

    @Override
    public Future<Void> connect(SocketAddress remoteAddress) {
        return startConnect(remoteAddress, null, null);
    }

    private <A> Future<Void> startConnect(SocketAddress address, A att, CompletionHandler<Void, ? super A> h) {
        if (closed) {
            return Deliver.soon(ops, h, att, null, new ClosedChannelException());
        }
        InetSocketAddress target = checkAddress(address);
        PendingFuture<Void> f = h == null ? new PendingFuture<>(this, CONNECT) : null;
        Connect<A> c = new Connect<>(target, h, att, f);
        synchronized (stateLock) {
            if (state == CONNECTED) {
                throw new AlreadyConnectedException();
            }
            if (state == PENDING) {
                throw new ConnectionPendingException();
            }
            state = PENDING;
            connectToken = ops.connect(target, c, c);
        }
        if (f != null) {
            f.submitted(connectToken);
        }
        return f;
    }

    private static InetSocketAddress checkAddress(SocketAddress address) {
        Objects.requireNonNull(address, "remote");
        if (!(address instanceof InetSocketAddress isa)) {
            throw new UnsupportedAddressTypeException();
        }
        if (isa.isUnresolved()) {
            throw new UnresolvedAddressException();
        }
        return isa;
    }

    /** A connect in flight: on success applies the options set before it, then completes the caller. */
    private final class Connect<A> implements AioCompletion<Connect<A>> {
        private final InetSocketAddress target;
        private final CompletionHandler<Void, ? super A> handler;
        private final A att;
        private final PendingFuture<Void> future;

        Connect(InetSocketAddress target, CompletionHandler<Void, ? super A> handler, A att,
                PendingFuture<Void> future) {
            this.target = target;
            this.handler = handler;
            this.att = att;
            this.future = future;
        }

        @Override
        public void completed(int result, Connect<A> self) {
            Throwable error = null;
            boolean wasClosed;
            synchronized (stateLock) {
                wasClosed = closed;
                if (result >= 0 && !closed) {
                    handle = result;
                    state = CONNECTED;
                    remote = target;
                    error = applyPresets();
                } else {
                    state = UNCONNECTED;
                }
            }
            if (result >= 0 && wasClosed) {
                // Closed while connecting: the connection made anyway goes with the channel.
                error = new java.nio.channels.AsynchronousCloseException();
                closeHandle(result);
            } else if (result < 0) {
                error = Failures.connect(result, wasClosed);
                if (wasClosed) {
                    AioSocketChannel.this.completed(0, null);
                } else {
                    close(); // as the JDK: a connect that fails closes the channel
                }
            } else if (error != null) {
                close();
            }
            Deliver.fromCompletion(ops, handler, att, future, null, error);
        }
    }

    /** Called under stateLock once connected: the options set before, and TCP_NODELAY off unless set. */
    private IOException applyPresets() {
        try {
            if (!presets.containsKey(AioSocketOption.TCP_NODELAY)) {
                ops.setSocketOption(handle, AioSocketOption.TCP_NODELAY, 0);
            }
            for (Map.Entry<AioSocketOption, Integer> e : presets.entrySet()) {
                ops.setSocketOption(handle, e.getKey(), e.getValue());
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    @Override
    public <A> void read(ByteBuffer dst, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        reader.start(readable(dst), null, timeout, unit, attachment, handler);
    }

    @Override
    public Future<Integer> read(ByteBuffer dst) {
        return reader.start(readable(dst), null, 0, TimeUnit.MILLISECONDS, null, null);
    }

    @Override
    public <A> void read(ByteBuffer[] dsts, int offset, int length, long timeout, TimeUnit unit, A attachment,
                         CompletionHandler<Long, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        Objects.checkFromIndexSize(offset, length, dsts.length);
        ByteBuffer[] bufs = java.util.Arrays.copyOfRange(dsts, offset, offset + length);
        for (ByteBuffer b : bufs) {
            readable(b);
        }
        reader.start(null, bufs, timeout, unit, attachment, handler);
    }

    private static ByteBuffer readable(ByteBuffer dst) {
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        return dst;
    }

    @Override
    public <A> void write(ByteBuffer src, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        writer.start(Objects.requireNonNull(src), null, timeout, unit, attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src) {
        return writer.start(Objects.requireNonNull(src), null, 0, TimeUnit.MILLISECONDS, null, null);
    }

    @Override
    public <A> void write(ByteBuffer[] srcs, int offset, int length, long timeout, TimeUnit unit, A attachment,
                          CompletionHandler<Long, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        Objects.checkFromIndexSize(offset, length, srcs.length);
        writer.start(null, java.util.Arrays.copyOfRange(srcs, offset, offset + length), timeout, unit, attachment,
                handler);
    }

    @Override
    public void cancelled(int kind, long token, boolean interrupt) {
        if (kind == READ) {
            reader.kill();
        } else if (kind == WRITE) {
            writer.kill();
        } else {
            reader.kill(); // the JDK's killConnect: the connection may have been made anyway
            writer.kill();
        }
        if (token != 0) {
            ops.cancel(token);
        }
        if (interrupt) {
            close();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Closes the channel: operations in flight fail with {@link java.nio.channels.AsynchronousCloseException} on
     * the loop. Does not wait; the socket is closed once those operations have completed.
     */
    @Override
    public void close() {
        int h;
        long connecting;
        synchronized (stateLock) {
            if (closed) {
                return;
            }
            closed = true;
            h = handle;
            connecting = state == PENDING ? connectToken : 0;
        }
        if (h >= 0) {
            closeHandle(h);
        } else if (connecting != 0) {
            ops.cancel(connecting); // its completion closes what it made, and then this channel is done
        } else {
            completed(0, null);
        }
    }

    private void closeHandle(int h) {
        try {
            ops.close(h, null, this);
        } catch (IllegalStateException instanceClosed) {
            // Every operation of a closed instance has completed: nothing is left to wait for.
            completed(0, null);
        }
    }

    /** The handle's close has completed, and with it every operation on it: the channel is done. */
    @Override
    public void completed(int result, Object attachment) {
        reader.free();
        writer.free();
        group.deregister(this);
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public String toString() {
        return "AioSocketChannel[" + (closed ? "closed" : remote == null ? "unconnected" : "connected remote="
                + remote) + ", " + ops.adapterName() + "]";
    }
}
