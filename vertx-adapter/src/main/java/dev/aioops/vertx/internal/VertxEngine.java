package dev.aioops.vertx.internal;

import dev.aioops.spi.AioCloseTimeoutException;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.internal.ErrnoMapping;
import io.vertx.core.Context;
import io.vertx.core.Timer;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one {@code AioOperations} on a Vert.x event-loop context through Vert.x's own APIs (the Vert.x-native
 * mode, on every transport): every operation starts, and every completion runs, on that context's event-loop
 * thread. Sockets are {@link SocketHandle}s and {@link ListenerHandle}s, eventfds {@link EventfdHandle}s.
 *
 * <p><b>Files</b> run on a Vert.x {@link WorkerExecutor} of {@link AioConfig#fileThreads()} threads, with
 * positional {@link FileChannel} calls directly on the caller's native memory. Vert.x's {@code AsyncFile}
 * was not used: it reads only into Vert.x buffers (one more copy), cannot open with {@code O_APPEND} or
 * {@code O_NOFOLLOW}, and its flush is not {@code fsync(2)}.
 */
public final class VertxEngine extends ContextEngine {

    private static final AtomicInteger INSTANCE_IDS = new AtomicInteger();
    private static final Canceller WITHDRAW = op -> true;
    private static final Canceller TIMER = op -> ((Timer) op.resource).cancel();
    private static final Canceller BEFORE_WORKER = op -> op.casWorkerState(Op.PENDING, Op.CANCELLED);

    private final WorkerExecutor files;
    private final AtomicInteger workersRunning = new AtomicInteger();
    private final Object workerMonitor = new Object();
    /** File operations still on a worker thread when a close timed out. Loop thread only. */
    private final Set<Op> held = new HashSet<>();

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
     * @param ownsVertx    whether {@link #close()} also closes the context's Vert.x instance
     * @param hosted       whether to close with the context (a close hook, run when its verticle is undeployed)
     * @param config       the configuration
     * @param onTerminated run once when closing has finished
     */
    public VertxEngine(Context context, boolean ownsVertx, boolean hosted, AioConfig config, Runnable onTerminated) {
        super(context, ownsVertx, hosted, config, onTerminated);
        this.files = vertx.createSharedWorkerExecutor("aioops-vertx-files-" + INSTANCE_IDS.incrementAndGet(),
                config.fileThreads());
        registerCloseHook();
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
    public InetSocketAddress localAddress(int handle) throws AioException {
        return switch (handles.get(handle)) {
            case SocketHandle s -> s.localAddress;
            case ListenerHandle l -> l.localAddress;
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
        switch (op.kind) {
            case READ -> read(op);
            case WRITE -> write(op);
            case FSYNC -> fsync(op);
            case OPEN -> open(op);
            case LISTEN -> listen(op);
            case ACCEPT -> accept(op);
            case CONNECT -> connect(op);
            case CLOSE -> closeHandle(op);
            case EVENTFD -> completeWithNewHandle(op, new EventfdHandle(this, op.offset));
            case TIMEOUT -> timeout(op);
        }
    }

    private void read(Op op) {
        switch (handles.get(op.handle)) {
            case FileHandle f -> f.submit(op);
            case SocketHandle s -> s.read(op);
            case EventfdHandle e -> e.read(op);
            case ListenerHandle l -> complete(op, -AioErrno.ENOTCONN);
            case null, default -> complete(op, -AioErrno.EBADF);
        }
    }

    private void write(Op op) {
        switch (handles.get(op.handle)) {
            case FileHandle f -> f.submit(op);
            case SocketHandle s -> s.write(op);
            case EventfdHandle e -> e.write(op);
            case ListenerHandle l -> complete(op, -AioErrno.ENOTCONN);
            case null, default -> complete(op, -AioErrno.EBADF);
        }
    }

    private void fsync(Op op) {
        switch (handles.get(op.handle)) {
            case FileHandle f -> f.submit(op);
            case null -> complete(op, -AioErrno.EBADF);
            default -> complete(op, -AioErrno.EINVAL);
        }
    }

    private void accept(Op op) {
        switch (handles.get(op.handle)) {
            case ListenerHandle l -> l.accept(op);
            case SocketHandle s -> complete(op, -AioErrno.EINVAL);
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

    private void open(Op op) {
        Set<AioOpenOption> options = ((OpenRequest) op.argument).options();
        if (options.contains(AioOpenOption.DIRECT)) {
            complete(op, -AioErrno.EOPNOTSUPP);
            return;
        }
        boolean append = options.contains(AioOpenOption.APPEND);
        boolean write = options.contains(AioOpenOption.WRITE) || append;
        boolean read = options.contains(AioOpenOption.READ) || !write;
        if (append && (read || options.contains(AioOpenOption.TRUNCATE))) {
            // FileChannel refuses O_APPEND with reading or truncating.
            complete(op, -AioErrno.EINVAL);
            return;
        }
        op.intArgument = write ? 1 : 0;
        op.canceller = BEFORE_WORKER;
        submitToWorker(op, null);
    }

    private int openOnWorker(Op op) throws IOException {
        OpenRequest request = (OpenRequest) op.argument;
        Path path = request.path();
        Set<AioOpenOption> options = request.options();
        Set<OpenOption> java = new HashSet<>();
        boolean append = options.contains(AioOpenOption.APPEND);
        if (op.intArgument == 1) {
            java.add(StandardOpenOption.WRITE);
        }
        if (options.contains(AioOpenOption.READ) || op.intArgument == 0) {
            java.add(StandardOpenOption.READ);
        }
        if (append) {
            java.add(StandardOpenOption.APPEND);
        }
        if (options.contains(AioOpenOption.CREATE)) {
            java.add(StandardOpenOption.CREATE);
        }
        if (options.contains(AioOpenOption.CREATE_NEW)) {
            java.add(StandardOpenOption.CREATE_NEW);
        }
        if (options.contains(AioOpenOption.TRUNCATE) && op.intArgument == 1) {
            java.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        if (options.contains(AioOpenOption.DSYNC)) {
            java.add(StandardOpenOption.DSYNC);
        }
        if (options.contains(AioOpenOption.NOFOLLOW)) {
            java.add(LinkOption.NOFOLLOW_LINKS);
        }
        boolean create = options.contains(AioOpenOption.CREATE) || options.contains(AioOpenOption.CREATE_NEW);
        if (create && op.intArgument == 0) {
            // open(2) creates with O_RDONLY | O_CREAT too; FileChannel creates only when writing.
            try {
                Files.createFile(path);
            } catch (FileAlreadyExistsException exists) {
                if (options.contains(AioOpenOption.CREATE_NEW)) {
                    throw exists;
                }
            }
        }
        op.resource = FileChannel.open(path, java);
        return 0;
    }

    private void listen(Op op) {
        InetSocketAddress address = (InetSocketAddress) op.argument;
        int backlog = (int) op.offset;
        NetServer server = vertx.createNetServer(new NetServerOptions()
                .setHost(address.getAddress().getHostAddress())
                .setPort(address.getPort())
                .setAcceptBacklog(backlog)
                .setReuseAddress(true)
                .setTcpNoDelay(true));
        ListenerHandle listener = new ListenerHandle(this, server, backlog);
        server.connectHandler(listener::onConnection);
        op.canceller = WITHDRAW;
        server.listen().onComplete(ar -> {
            enter();
            try {
                if (ar.failed()) {
                    complete(op, ErrnoMapping.result(ar.cause()));
                    return;
                }
                listener.bound(new InetSocketAddress(address.getAddress(), server.actualPort()));
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
        InetSocketAddress address = (InetSocketAddress) op.argument;
        op.canceller = WITHDRAW;
        client.connect(SocketAddress.inetSocketAddress(address)).onComplete(ar -> {
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

    /** Loop: hands a file operation to the worker executor; {@code target} is null for an open. */
    void submitToWorker(Op op, FileHandle target) {
        files.executeBlocking(() -> {
            runOnWorker(op, target);
            return null;
        }, false).onComplete(ar -> {
            enter();
            try {
                workerReturned(op, target);
            } finally {
                exit();
            }
        });
    }

    private void runOnWorker(Op op, FileHandle target) {
        // Counted before the state change, so that close() never sees 0 while a worker may still start a call.
        workersRunning.incrementAndGet();
        try {
            if (!op.casWorkerState(Op.PENDING, Op.RUNNING)) {
                return;
            }
            int result;
            try {
                result = target != null ? target.perform(op) : openOnWorker(op);
            } catch (Throwable t) {
                result = ErrnoMapping.result(t);
            }
            op.workerResult = result;
            op.setWorkerState(Op.FINISHED);
        } finally {
            if (workersRunning.decrementAndGet() == 0) {
                synchronized (workerMonitor) {
                    workerMonitor.notifyAll();
                }
            }
        }
    }

    /** Loop: a file operation came back from the worker executor (or was refused by it). */
    private void workerReturned(Op op, FileHandle target) {
        if (held.remove(op) && held.isEmpty()) {
            try {
                workerFinished(op, target);
            } finally {
                files.close();
                kernelLetGo();
            }
            return;
        }
        workerFinished(op, target);
    }

    private void workerFinished(Op op, FileHandle target) {
        if (!op.done) {
            int state = op.workerState();
            if (state == Op.FINISHED) {
                if (op.kind == Op.Kind.OPEN) {
                    opened(op);
                } else {
                    complete(op, op.workerResult);
                }
            } else if (op.casWorkerState(Op.PENDING, Op.CANCELLED)) {
                complete(op, -AioErrno.ECANCELED);
            }
        }
        if (target != null) {
            target.returned(op);
        }
    }

    private void opened(Op op) {
        FileChannel channel = (FileChannel) op.resource;
        if (op.workerResult < 0 || channel == null) {
            complete(op, op.workerResult < 0 ? op.workerResult : -AioErrno.EIO);
            return;
        }
        completeWithNewHandle(op, new FileHandle(this, channel, op.intArgument == 1));
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
                h.close(() -> { });
            }
            openHandles = 0;
            for (Op op : pending.toArray()) {
                if (op.done) {
                    continue;
                }
                if (op.argument instanceof FileHandle || op.kind == Op.Kind.OPEN) {
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
            awaitWorkers();
            for (Op op : onWorkers) {
                if (op.workerState() == Op.FINISHED) {
                    workerReturned(op, op.argument instanceof FileHandle f ? f : null);
                } else {
                    held.add(op);
                }
            }
            if (held.isEmpty()) {
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
        if (held.isEmpty()) {
            files.close();
        } else {
            // Not completed: the worker's system call may still write the buffer. Each completes on this context
            // when its worker returns; the executor (whose close would interrupt it) and files stay until then.
            errorHandler.accept(new AioCloseTimeoutException("vertx", held.size(), closeTimeout,
                    Op.describe(held.toArray(Op[]::new))));
            closedWithOperationsHeld();
        }
        done.run();
    }

    private boolean awaitWorkers() {
        long deadline = System.nanoTime() + closeTimeout.toNanos();
        synchronized (workerMonitor) {
            while (workersRunning.get() > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                try {
                    workerMonitor.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /** A Vert.x socket address as a resolved {@link InetSocketAddress} (the host is an IP literal). */
    static InetSocketAddress toInet(SocketAddress address) {
        if (address == null || address.hostAddress() == null) {
            return null;
        }
        return new InetSocketAddress(InetAddress.ofLiteral(address.hostAddress()), address.port());
    }
}
