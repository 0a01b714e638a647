package dev.aioops.vertx.internal;

import dev.aioops.spi.AioCloseTimeoutException;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.internal.ErrnoMapping;
import io.vertx.core.Context;
import io.vertx.core.Timer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one {@code AioOperations} on a Vert.x event-loop context through Vert.x's own APIs (the Vert.x-native
 * mode, on every transport): every operation starts, and every completion runs, on that context's event-loop
 * thread. Sockets are {@link SocketHandle}s and {@link ListenerHandle}s, datagram sockets {@link DatagramHandle}s,
 * eventfds {@link EventfdHandle}s.
 *
 * <p><b>Files</b> run on a Vert.x {@code WorkerExecutor} of {@link AioConfig#fileThreads()} threads
 * ({@link VertxFiles}): raw descriptors and the system calls themselves ({@code openat2}, {@code pread},
 * {@code statx}, ...) on the caller's native memory. Vert.x's {@code AsyncFile} was not used: it reads only into
 * Vert.x buffers (one more copy), cannot open with {@code O_APPEND} or {@code O_NOFOLLOW}, has no directory
 * handles or confined opens, and its flush is not {@code fsync(2)}; {@code FileChannel} has no {@code openat2},
 * {@code fallocate} or {@code statx} either.
 */
public final class VertxEngine extends ContextEngine {

    private static final AtomicInteger INSTANCE_IDS = new AtomicInteger();
    private static final Canceller WITHDRAW = op -> true;
    private static final Canceller TIMER = op -> ((Timer) op.resource).cancel();

    private final VertxFiles files;
    private final VertxSockets sockets;
    private final VertxSendFiles sendFiles;

    // Loop thread only.
    private final HandleTable handles = new HandleTable();
    private NetClient client;
    private volatile int openHandles;
    /** Written by the loop only; volatile for the threads that watch it. */
    private volatile long bufferedBytes;

    /**
     * Binds an engine to an event-loop context.
     *
     * @param context      the context every completion runs on
     * @param ownership    whether {@link #close()} also closes the context's Vert.x instance
     * @param hosted       whether to close with the context (a close hook, run when its verticle is undeployed)
     * @param config       the configuration
     * @param onTerminated run once when closing has finished
     */
    public VertxEngine(Context context, VertxOwnership ownership, boolean hosted, AioConfig config, Runnable onTerminated) {
        super(context, ownership, hosted, config, onTerminated);
        this.files = new VertxFiles(this, vertx.createSharedWorkerExecutor("aioops-vertx-files-"
                + INSTANCE_IDS.incrementAndGet(), config.fileThreads()));
        this.sockets = new VertxSockets(handles);
        this.sendFiles = new VertxSendFiles(this, files);
        registerCloseHook();
    }

    /** {@return the synchronous socket calls (options, peer address), for any thread} */
    public SocketCalls sockets() {
        return sockets;
    }

    /** Loop: the zero-copy sends. */
    VertxSendFiles sendFiles() {
        return sendFiles;
    }

    @Override
    void cancelOnLoop(Op op) {
        if (op.canceller != null && op.canceller.cancel(op)) {
            complete(op, -AioErrno.ECANCELED);
        }
    }

    /**
     * Any thread: adds to an eventfd's counter.
     *
     * @param handle the eventfd handle
     * @param n      the amount, {@code >= 1} (checked)
     * @return whether it was added
     */
    @Override
    public boolean signal(int handle, long n) {
        return handles.get(handle) instanceof EventfdHandle e && e.signal(n);
    }

    /**
     * Any thread: the local address of a socket handle.
     *
     * @param handle the handle
     * @return the address
     * @throws AioException with {@code EBADF} or {@code ENOTSOCK}
     */
    @Override
    public java.net.SocketAddress localAddress(int handle) throws AioException {
        return switch (handles.get(handle)) {
            case SocketHandle s -> s.localAddress;
            case ListenerHandle l -> l.localAddress;
            case DatagramHandle d -> d.localAddress;
            case null -> throw new AioException(AioErrno.EBADF, "localAddress(" + handle + ")");
            default -> throw new AioException(AioErrno.ENOTSOCK, "localAddress(" + handle + ")");
        };
    }

    /**
     * How many handles are open; 0 once closed. For tests and diagnostics.
     *
     * @return the count
     */
    @Override
    public int openHandles() {
        return openHandles;
    }

    /**
     * How many bytes received on this instance's sockets wait unread, over all of them; for tests and
     * diagnostics of the back-pressure bound.
     *
     * @return the count
     */
    public long bufferedBytes() {
        return bufferedBytes;
    }

    /** Loop: a socket's unread bytes changed by {@code delta}. */
    void buffered(long delta) {
        bufferedBytes += delta;
    }

    /** Loop: gives a new handle a number and completes with it, or releases it when that is no longer wanted. */
    void completeWithNewHandle(Op op, AioHandle handle) {
        if (op.done || closing) {
            handle.close(() -> { });
            complete(op, -AioErrno.ECANCELED);
            return;
        }
        int id = handles.add(handle);
        if (id < 0) {
            handle.close(() -> { });
            complete(op, -AioErrno.EMFILE);
            return;
        }
        openHandles = handles.size();
        complete(op, id);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Operations.

    @Override
    void dispatch(Op op) {
        Deadlines.arm(this, op);
        switch (op.kind) {
            case READ -> read(op);
            case WRITE -> write(op);
            case FSYNC, FDATASYNC, FTRUNCATE, FALLOCATE, FSTAT -> fileOperation(op);
            case OPEN, STAT, UNLINK, RENAME, MKDIR -> files.pathOperation(op);
            case LISTEN -> listen(op);
            case ACCEPT -> accept(op);
            case CONNECT -> connect(op);
            case CLOSE -> closeHandle(op);
            case EVENTFD -> completeWithNewHandle(op, new EventfdHandle(this, op.offset));
            case TIMEOUT -> timeout(op);
            case SHUTDOWN -> sockets.shutdown(this, op);
            case READV, WRITEV -> VertxVectors.start(this, handles.get(op.handle), op);
            case DATAGRAM_OPEN -> DatagramHandle.open(this, op);
            case SEND_TO, RECEIVE -> datagram(op);
            case SENDFILE -> sendFiles.start(op);
        }
    }

    private void read(Op op) {
        switch (handles.get(op.handle)) {
            case FileHandle f -> f.submit(op);
            case SocketHandle s -> s.read(op);
            case EventfdHandle e -> e.read(op);
            case ListenerHandle l -> complete(op, -AioErrno.ENOTCONN);
            // A read would cut a datagram silently: receive and sendTo are a datagram socket's operations.
            case DatagramHandle d -> complete(op, -AioErrno.EINVAL);
            case null, default -> complete(op, -AioErrno.EBADF);
        }
    }

    private void write(Op op) {
        switch (handles.get(op.handle)) {
            case FileHandle f -> f.submit(op);
            case SocketHandle s -> s.write(op);
            case EventfdHandle e -> e.write(op);
            case ListenerHandle l -> complete(op, -AioErrno.ENOTCONN);
            case DatagramHandle d -> complete(op, -AioErrno.EINVAL);
            case null, default -> complete(op, -AioErrno.EBADF);
        }
    }

    private void fileOperation(Op op) {
        switch (handles.get(op.handle)) {
            case FileHandle f -> f.submit(op);
            case null -> complete(op, -AioErrno.EBADF);
            // What the kernel answers for a socket or eventfd descriptor.
            default -> complete(op, switch (op.kind) {
                case FALLOCATE -> -AioErrno.ENODEV;
                case FSTAT -> -AioErrno.EBADF;
                default -> -AioErrno.EINVAL;
            });
        }
    }

    /** Loop: the handle of a number, or null. */
    AioHandle handle(int id) {
        return handles.get(id);
    }

    private void accept(Op op) {
        switch (handles.get(op.handle)) {
            case ListenerHandle l -> l.accept(op);
            case SocketHandle s -> complete(op, -AioErrno.EINVAL);
            // As accept(2) of a socket that is not a stream.
            case DatagramHandle d -> complete(op, -AioErrno.EOPNOTSUPP);
            case null -> complete(op, -AioErrno.EBADF);
            default -> complete(op, -AioErrno.ENOTSOCK);
        }
    }

    /** A datagram's send or receive: a TCP socket is {@code -EINVAL}, a file or eventfd {@code -ENOTSOCK}. */
    private void datagram(Op op) {
        switch (handles.get(op.handle)) {
            case DatagramHandle d when op.kind == Op.Kind.SEND_TO -> d.send(op);
            case DatagramHandle d -> d.receive(op);
            case SocketHandle s -> complete(op, -AioErrno.EINVAL);
            case ListenerHandle l -> complete(op, -AioErrno.EINVAL);
            case null -> complete(op, -AioErrno.EBADF);
            default -> complete(op, -AioErrno.ENOTSOCK);
        }
    }

    private void closeHandle(Op op) {
        AioHandle h = handles.get(op.handle);
        if (h == null) {
            complete(op, -AioErrno.EBADF);
            return;
        }
        handles.remove(h);
        openHandles = handles.size();
        sendFiles.closing(h);
        h.close(() -> complete(op, 0));
    }

    private void timeout(Op op) {
        Timer timer = context.timer(Math.max(op.offset, 1L), TimeUnit.NANOSECONDS);
        op.resource = timer;
        op.canceller = TIMER;
        timer.onComplete(ar -> {
            if (ar.succeeded()) {
                complete(op, 0);
            }
        });
    }

    /**
     * What this mode offers: {@code CONFINED_OPEN} with {@code openat2(2)}, {@code REUSE_PORT} where Vert.x passes
     * {@code SO_REUSEPORT} to its server sockets (its native transports, not NIO, whose configuration ignores it).
     *
     * @return an unmodifiable set
     */
    public java.util.Set<dev.aioops.spi.AioCapability> capabilities() {
        return ListenerOptions.capabilities(passesReusePort());
    }

    private boolean passesReusePort() {
        return ((io.vertx.core.internal.VertxInternal) vertx).transport()
                != io.vertx.core.transport.Transport.NIO.implementation();
    }

    private void listen(Op op) {
        int backlog = (int) op.offset;
        ListenRequest request = (ListenRequest) op.argument;
        int refused = ListenerOptions.refusal(request, passesReusePort());
        if (refused != 0) {
            complete(op, refused);
            return;
        }
        NetServerOptions options = new NetServerOptions().setAcceptBacklog(backlog);
        SocketAddress bindAddress;
        if (request.address() instanceof InetSocketAddress address) {
            options.setTcpNoDelay(true);
            ListenerOptions.configure(options, request.options());
            bindAddress = SocketAddress.inetSocketAddress(address);
        } else {
            bindAddress = SocketAddress.domainSocketAddress(((UnixDomainSocketAddress) request.address()).getPath()
                    .toString());
        }
        NetServer server = vertx.createNetServer(options);
        ListenerHandle listener = new ListenerHandle(this, server, backlog, request.options());
        server.connectHandler(listener::onConnection);
        op.canceller = WITHDRAW;
        server.listen(bindAddress).onComplete(ar -> {
            enter();
            try {
                if (ar.failed()) {
                    complete(op, ErrnoMapping.result(ar.cause()));
                    return;
                }
                listener.bound(request.address() instanceof InetSocketAddress address
                        ? new InetSocketAddress(address.getAddress(), server.actualPort())
                        : (UnixDomainSocketAddress) request.address());
                completeWithNewHandle(op, listener);
            } finally {
                exit();
            }
        });
    }

    private void connect(Op op) {
        if (client == null) {
            client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
        }
        SocketAddress address = op.argument instanceof InetSocketAddress inet ? SocketAddress.inetSocketAddress(inet)
                : SocketAddress.domainSocketAddress(((UnixDomainSocketAddress) op.argument).getPath().toString());
        op.canceller = WITHDRAW;
        client.connect(address).onComplete(ar -> {
            enter();
            try {
                if (ar.failed()) {
                    complete(op, ErrnoMapping.result(ar.cause()));
                } else if (op.done || closing) {
                    ar.result().close();
                } else {
                    completeWithNewHandle(op, new SocketHandle(this, ar.result(), () -> { }));
                }
            } finally {
                exit();
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------------
    // Closing.

    @Override
    void shutdown(Runnable done) {
        List<FileHandle> fileHandles = new ArrayList<>();
        List<Op> onWorkers = new ArrayList<>();
        enter();
        try {
            for (AioHandle h : handles.all()) {
                handles.remove(h);
                if (h instanceof FileHandle f) {
                    fileHandles.add(f);
                }
                sendFiles.closing(h);
                h.close(() -> { });
            }
            openHandles = 0;
            for (Op op : pending.toArray()) {
                if (op.done) {
                    continue;
                }
                if (op.canceller == VertxFiles.WORKER) {
                    if (op.casWorkerState(Op.PENDING, Op.CANCELLED)) {
                        complete(op, -AioErrno.ECANCELED);
                    } else {
                        onWorkers.add(op);
                    }
                } else {
                    if (op.resource instanceof Timer timer) {
                        timer.cancel();
                    }
                    complete(op, -AioErrno.ECANCELED);
                }
            }
            // Worker threads still inside a system call own their buffers: wait for them (bounded).
            files.awaitWorkers(closeTimeout.toNanos());
            for (Op op : onWorkers) {
                files.settleAtClose(op);
            }
            if (files.held.isEmpty()) {
                for (FileHandle f : fileHandles) {
                    f.forceRelease();
                }
            }
        } finally {
            exit();
        }
        if (client != null) {
            client.close();
        }
        if (files.held.isEmpty()) {
            files.close();
        } else {
            // Not completed: the worker's system call may still write the buffer. Each completes on this context
            // when its worker returns; the executor (whose close would interrupt it) and files stay until then.
            errorHandler.accept(new AioCloseTimeoutException("vertx", files.held.size(), closeTimeout,
                    Op.describe(files.held.toArray(Op[]::new))));
            closedWithOperationsHeld();
        }
        done.run();
    }

    /**
     * A Vert.x socket address as the contract gives it: a resolved {@link InetSocketAddress} (the host is an IP
     * literal), or a {@link UnixDomainSocketAddress} (an empty path for an unbound socket).
     */
    static java.net.SocketAddress toJava(SocketAddress address) {
        if (address != null && address.isDomainSocket()) {
            return UnixDomainSocketAddress.of(address.path() == null ? "" : address.path());
        }
        if (address == null || address.hostAddress() == null) {
            return null;
        }
        return new InetSocketAddress(InetAddress.ofLiteral(address.hostAddress()), address.port());
    }
}
