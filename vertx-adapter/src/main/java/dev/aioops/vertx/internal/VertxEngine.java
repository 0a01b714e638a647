package dev.aioops.vertx.internal;

import dev.aioops.spi.AioBufferPool;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.ErrnoMapping;
import dev.aioops.spi.internal.SlabBufferPool;
import io.vertx.core.Completable;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Runs one {@code AioOperations} on a Vert.x event-loop context (the Vert.x-native mode): every operation
 * starts, and every completion runs, on that context's event-loop thread.
 *
 * <p><b>Hand-off.</b> A submission on the loop thread starts at once. Other threads put it on a lock-free
 * queue ({@link ConcurrentLinkedQueue}) and schedule one drain on the context only when none is scheduled, so
 * a burst of submissions costs one Netty wake-up.
 *
 * <p><b>Completions</b> are queued and run one after the other at the end of the current loop turn, never
 * nested inside each other: a completion that submits an operation which finishes at once does not recurse.
 *
 * <p><b>Files</b> run on a Vert.x {@link WorkerExecutor} of {@link AioConfig#fileThreads()} threads, with
 * positional {@link FileChannel} calls directly on the caller's native memory. Vert.x's {@code AsyncFile}
 * was not used: it reads only into Vert.x buffers (one more copy), cannot open with {@code O_APPEND} or
 * {@code O_NOFOLLOW}, and its flush is not {@code fsync(2)}.
 */
public final class VertxEngine {

    private static final System.Logger LOG = System.getLogger("dev.aioops.vertx");
    private static final int INBOX_BATCH = 4096;
    private static final AtomicInteger INSTANCE_IDS = new AtomicInteger();
    private static final Canceller WITHDRAW = op -> true;
    private static final Canceller TIMER = op -> ((Timer) op.resource).cancel();
    private static final Canceller BEFORE_WORKER = op -> op.casWorkerState(Op.PENDING, Op.CANCELLED);

    private final ContextInternal context;
    private final Vertx vertx;
    private final boolean ownsVertx;
    private final Runnable onTerminated;
    private final Consumer<Throwable> errorHandler;
    private final java.time.Duration closeTimeout;
    private final Arena poolArena = Arena.ofShared();
    private final SlabBufferPool buffers;
    private final WorkerExecutor files;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Handler<Void> drain = v -> drainInbox();
    private final AtomicLong tokens = new AtomicLong();
    private final AtomicInteger workersRunning = new AtomicInteger();
    private final Object workerMonitor = new Object();
    private final CountDownLatch terminatedLatch = new CountDownLatch(1);
    private final AtomicBoolean vertxClosed = new AtomicBoolean();
    private final io.vertx.core.Closeable closeHook = this::closeFromHook;

    // Loop thread only.
    private final ArrayDeque<Op> ready = new ArrayDeque<>();
    private final Map<Long, Op> pending = new HashMap<>();
    private final HandleTable handles = new HandleTable();
    private final byte[] scratch = new byte[64 * 1024];
    private NetClient client;
    private int depth;
    private boolean closing;
    private boolean hookRunning;

    private volatile boolean closed;
    private volatile boolean terminated;
    private volatile int openHandles;
    private volatile int inFlight;

    /**
     * Binds an engine to an event-loop context.
     *
     * @param context   the context every completion runs on
     * @param ownsVertx whether {@link #close()} also closes the context's Vert.x instance
     * @param hosted    whether to close with the context (a close hook, run when its verticle is undeployed)
     * @param config       the configuration
     * @param onTerminated run once when closing has finished
     */
    public VertxEngine(Context context, boolean ownsVertx, boolean hosted, AioConfig config, Runnable onTerminated) {
        if (!context.isEventLoopContext()) {
            throw new IllegalArgumentException("aioops needs a Vert.x event-loop context (a standard verticle's), "
                    + "not a worker or virtual-thread context: its completions must run on one thread");
        }
        this.context = (ContextInternal) context;
        this.vertx = context.owner();
        this.ownsVertx = ownsVertx;
        this.onTerminated = onTerminated;
        this.errorHandler = config.errorHandler();
        this.closeTimeout = config.closeTimeout();
        this.buffers = new SlabBufferPool(poolArena, config.bufferCount(), config.bufferSize());
        this.files = vertx.createSharedWorkerExecutor("aioops-vertx-files-" + INSTANCE_IDS.incrementAndGet(),
                config.fileThreads());
        if (hosted) {
            this.context.closeFuture().add(closeHook);
        }
    }

    /**
     * The context this engine is bound to.
     *
     * @return the event-loop context
     */
    public Context context() {
        return context;
    }

    /**
     * Any thread: whether the caller runs on the context's event-loop thread.
     *
     * @return {@code true} on the loop
     */
    public boolean inLoop() {
        return context.inThread();
    }

    /**
     * The adapter-owned buffers.
     *
     * @return the pool
     */
    public AioBufferPool buffers() {
        return buffers;
    }

    /**
     * Any thread: a new operation with a fresh token, not yet submitted.
     *
     * @param kind       what it does
     * @param attachment the caller's attachment
     * @param completion the caller's completion
     * @param <A>        the attachment type
     * @return the operation; fill in its arguments, then {@link #submit} it
     * @throws IllegalStateException if this engine is closed
     */
    @SuppressWarnings("unchecked") // the completion is only ever called with the attachment it came with
    public <A> Op newOperation(Op.Kind kind, A attachment, AioCompletion<? super A> completion) {
        Checks.completion(completion);
        if (closed) {
            throw Checks.closed("vertx");
        }
        return new Op(this, kind, tokens.incrementAndGet(), (AioCompletion<Object>) completion, attachment);
    }

    /**
     * Any thread: the request fields of a read or write.
     *
     * @param op     the operation
     * @param handle its handle
     * @param buffer the caller's buffer (checked)
     * @param offset its offset (checked)
     * @return {@code op}
     */
    public Op transfer(Op op, int handle, MemorySegment buffer, long offset) {
        op.handle = handle;
        op.buffer = buffer;
        op.view = Segments.alias(buffer);
        op.offset = offset;
        return op;
    }

    /**
     * Any thread: the request fields of an operation on a handle, a path, an address or a number.
     *
     * @param op          the operation
     * @param handle      its handle, or 0
     * @param argument    its object argument, or null
     * @param number      its numeric argument (delay, initial value, backlog), or 0
     * @return {@code op}
     */
    public Op request(Op op, int handle, Object argument, long number) {
        op.handle = handle;
        op.argument = argument;
        op.offset = number;
        return op;
    }

    /**
     * Any thread: starts an operation on the loop (at once when called there).
     *
     * @param op the operation
     * @return its token
     */
    public long submit(Op op) {
        runOnLoop(op);
        return op.token;
    }

    /**
     * Any thread: runs a task on the loop after the tasks queued before it.
     *
     * @param task the task
     * @throws IllegalStateException if this engine is closed
     */
    public void execute(Runnable task) {
        java.util.Objects.requireNonNull(task, "task");
        if (closed) {
            throw Checks.closed("vertx");
        }
        enqueue(task);
    }

    /**
     * Any thread: asks for an operation to stop.
     *
     * @param token its token
     */
    public void cancel(long token) {
        if (token <= 0 || token > tokens.get() || terminated) {
            return;
        }
        runOnLoop(() -> {
            Op op = pending.get(token);
            if (op != null && !op.done && op.canceller != null) {
                enter();
                try {
                    if (op.canceller.cancel(op)) {
                        complete(op, -AioErrno.ECANCELED);
                    }
                } finally {
                    exit();
                }
            }
        });
    }

    /**
     * Any thread: adds to an eventfd's counter.
     *
     * @param handle the eventfd handle
     * @param n      the amount, {@code >= 1} (checked)
     * @return whether it was added
     */
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
    public int openHandles() {
        return openHandles;
    }

    /**
     * How many operations have started on the loop and not completed; 0 once closed. For tests and diagnostics.
     *
     * @return the count
     */
    public int inFlight() {
        return inFlight;
    }

    /**
     * Whether {@link #close()} has finished.
     *
     * @return {@code true} once every operation completed and every resource was released
     */
    public boolean isTerminated() {
        return terminated;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The loop.

    void runOnLoop(Runnable task) {
        if (inLoop()) {
            task.run();
        } else {
            enqueue(task);
        }
    }

    private void enqueue(Runnable task) {
        inbox.offer(task);
        if (terminated) {
            // Lost a race with close(): nothing will drain the queue any more, so settle it here.
            settleAfterTermination();
            return;
        }
        if (drainScheduled.compareAndSet(false, true)) {
            try {
                context.runOnContext(drain);
            } catch (RuntimeException rejected) {
                // The event loop is shutting down with its Vert.x instance; close() settles the queue.
                drainScheduled.set(false);
            }
        }
    }

    private void drainInbox() {
        drainScheduled.set(false);
        enter();
        try {
            for (int i = 0; i < INBOX_BATCH; i++) {
                Runnable task = inbox.poll();
                if (task == null) {
                    break;
                }
                runTask(task);
            }
        } finally {
            exit();
        }
        if (!inbox.isEmpty() && !terminated && drainScheduled.compareAndSet(false, true)) {
            context.runOnContext(drain);
        }
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            errorHandler.accept(t);
        }
    }

    /** Loop: opens a scope in which completions are queued, to run when the outermost scope closes. */
    void enter() {
        depth++;
    }

    /** Loop: closes a scope opened by {@link #enter()}, running the queued completions if it was the last. */
    void exit() {
        if (--depth == 0 && !ready.isEmpty()) {
            fireReady();
        }
    }

    /**
     * Loop: completes an operation (once; later calls are ignored). Its completion runs at the end of the
     * current loop turn, or now when no turn is in progress.
     */
    void complete(Op op, int result) {
        if (op.done) {
            return;
        }
        op.done = true;
        op.result = result;
        pending.remove(op.token);
        inFlight = pending.size();
        ready.add(op);
        if (depth == 0) {
            fireReady();
        }
    }

    private void fireReady() {
        depth++;
        try {
            Op op;
            while ((op = ready.poll()) != null) {
                op.fire(errorHandler);
            }
        } finally {
            depth--;
        }
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

    /** Loop: a scratch array for copying between Vert.x buffers and native memory. */
    byte[] scratch() {
        return scratch;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Operations.

    /** Loop: starts an operation. */
    void start(Op op) {
        enter();
        try {
            if (closing) {
                complete(op, -AioErrno.ECANCELED);
                return;
            }
            pending.put(op.token, op);
            inFlight = pending.size();
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
        } catch (RuntimeException e) {
            complete(op, ErrnoMapping.result(e));
        } finally {
            exit();
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

    /**
     * Any thread: closes this engine as {@code AioOperations.close()} describes; idempotent. From another thread
     * it waits for the loop to finish closing and, if it owns its Vert.x instance, for that to close too.
     */
    public void close() {
        closed = true;
        if (inLoop()) {
            doClose();
            if (ownsVertx && vertxClosed.compareAndSet(false, true)) {
                vertx.close();
            }
            return;
        }
        if (!terminated) {
            enqueue(this::doClose);
            awaitTermination();
        }
        if (ownsVertx && vertxClosed.compareAndSet(false, true)) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture()
                        .get(closeTimeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "closing the Vert.x instance of an aioops adapter failed", e);
            }
        }
    }

    private void awaitTermination() {
        boolean interrupted = false;
        long deadline = System.nanoTime() + closeTimeout.toNanos() + TimeUnit.SECONDS.toNanos(30);
        while (!terminated) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || terminatedLatch.await(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (!terminated) {
            LOG.log(Level.ERROR, "aioops vertx: the event loop did not finish closing in time; is it blocked?");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The context's close hook: runs when the verticle that hosts this engine is undeployed. */
    private void closeFromHook(Completable<Void> done) {
        closed = true;
        if (terminated) {
            done.succeed();
            return;
        }
        runOnLoop(() -> {
            hookRunning = true;
            doClose();
            done.succeed();
        });
    }

    private void doClose() {
        if (closing) {
            return;
        }
        closing = true;
        closed = true;
        enter();
        List<FileHandle> fileHandles = new ArrayList<>();
        List<Op> onWorkers = new ArrayList<>();
        try {
            // Queued work: tasks run, queued operations complete with -ECANCELED (start() sees closing).
            drainAll();
            for (AioHandle h : handles.all()) {
                handles.remove(h);
                if (h instanceof FileHandle f) {
                    fileHandles.add(f);
                }
                h.close(() -> { });
            }
            openHandles = 0;
            for (Op op : pending.values().toArray(Op[]::new)) {
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
            if (!awaitWorkers()) {
                LOG.log(Level.WARNING, "aioops vertx: file operations still running after the close timeout "
                        + closeTimeout + "; completing them with -ECANCELED");
            }
            for (Op op : onWorkers) {
                workerReturned(op, op.argument instanceof FileHandle f ? f : null);
                complete(op, -AioErrno.ECANCELED);
            }
            for (FileHandle f : fileHandles) {
                f.forceRelease();
            }
            drainAll();
        } finally {
            depth--;
        }
        fireReady();
        if (!hookRunning && !ownsVertx) {
            context.closeFuture().remove(closeHook);
        }
        if (client != null) {
            client.close();
        }
        files.close();
        pending.clear();
        inFlight = 0;
        poolArena.close();
        terminated = true;
        onTerminated.run();
        terminatedLatch.countDown();
        settleAfterTermination();
    }

    private void drainAll() {
        Runnable task;
        while ((task = inbox.poll()) != null) {
            runTask(task);
        }
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

    /** After termination, on whatever thread: what raced into the queue still completes, once. */
    private void settleAfterTermination() {
        Runnable task;
        while ((task = inbox.poll()) != null) {
            if (task instanceof Op op) {
                if (!op.done) {
                    op.done = true;
                    op.result = -AioErrno.ECANCELED;
                    op.fire(errorHandler);
                }
            } else {
                runTask(task);
            }
        }
    }

    /** A Vert.x socket address as a resolved {@link InetSocketAddress} (the host is an IP literal). */
    static InetSocketAddress toInet(SocketAddress address) {
        if (address == null || address.hostAddress() == null) {
            return null;
        }
        return new InetSocketAddress(InetAddress.ofLiteral(address.hostAddress()), address.port());
    }
}
