package dev.aioops.vertx.internal;

import dev.aioops.spi.AioBufferPool;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.ErrnoMapping;
import dev.aioops.spi.internal.SlabBufferPool;
import io.vertx.core.Completable;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * What every engine that runs an {@code AioOperations} on a Vert.x event-loop context shares: the hand-off of
 * work to the loop, the queue of completions, the operations in flight by token, and closing (with the
 * instance, with the context's close hook, or with an owned Vert.x instance). The subclasses perform the
 * operations: {@link VertxEngine} through Vert.x's APIs, a shared-ring engine on the event loop's own io_uring.
 *
 * <p><b>Hand-off.</b> A submission on the loop thread starts at once. Other threads put it on a lock-free
 * queue ({@link ConcurrentLinkedQueue}) and schedule one drain on the context only when none is scheduled, so
 * a burst of submissions costs one Netty wake-up.
 *
 * <p><b>Completions</b> are queued and run one after the other at the end of the current loop turn, never
 * nested inside each other: a completion that submits an operation which finishes at once does not recurse.
 */
public abstract class ContextEngine {

    static final System.Logger LOG = System.getLogger("dev.aioops.vertx");
    private static final int INBOX_BATCH = 4096;

    final ContextInternal context;
    final Vertx vertx;
    final Consumer<Throwable> errorHandler;
    final Duration closeTimeout;
    private final OwnedVertx owner;
    private final Runnable onTerminated;
    private final Arena poolArena = Arena.ofShared();
    private final SlabBufferPool buffers;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Handler<Void> drain = v -> drainInbox();
    private final AtomicLong tokens = new AtomicLong();
    private final CountDownLatch terminatedLatch = new CountDownLatch(1);
    private final io.vertx.core.Closeable closeHook = this::closeFromHook;

    // Loop thread only.
    private final ArrayDeque<Op> ready = new ArrayDeque<>();
    /** Operations started on the loop and not completed, by token. */
    final OpsInFlight pending = new OpsInFlight();
    private final List<Completable<Void>> closeListeners = new ArrayList<>();
    private int depth;
    /** Set when closing has begun on the loop: new operations complete with {@code -ECANCELED}. */
    boolean closing;
    private final boolean hosted;
    private boolean hookRunning;

    /** Guards {@link #settleAfterTermination()}: submissions that lost the race with close() settle one at a time. */
    private final Object stragglers = new Object();
    private volatile boolean closed;
    private volatile boolean terminated;
    private volatile int inFlight;

    /**
     * Binds an engine to an event-loop context.
     *
     * @param context      the context every completion runs on
     * @param ownership    whether {@link #close()} also closes the context's Vert.x instance
     * @param hosted       whether to close with the context (a close hook, run when its verticle is undeployed)
     * @param config       the configuration
     * @param onTerminated run once when closing has finished
     */
    ContextEngine(Context context, VertxOwnership ownership, boolean hosted, AioConfig config, Runnable onTerminated) {
        if (!context.isEventLoopContext()) {
            throw new IllegalArgumentException("aioops needs a Vert.x event-loop context (a standard verticle's), "
                    + "not a worker or virtual-thread context: its completions must run on one thread");
        }
        this.context = (ContextInternal) context;
        this.vertx = context.owner();
        this.owner = new OwnedVertx(vertx, ownership, config.closeTimeout());
        this.hosted = hosted;
        this.onTerminated = onTerminated;
        Consumer<Throwable> handler = config.errorHandler();
        // The handler must not throw; if it does anyway, the inbox drain and the loop still carry on.
        this.errorHandler = error -> {
            try {
                handler.accept(error);
            } catch (Throwable ignored) {
                // nothing sensible is left to report to
            }
        };
        this.closeTimeout = config.closeTimeout();
        this.buffers = new SlabBufferPool(poolArena, config.bufferCount(), config.bufferSize());
    }

    /**
     * Registers the close hook with the context; called by the subclass at the end of its constructor.
     */
    final void registerCloseHook() {
        if (hosted) {
            context.closeFuture().add(closeHook);
        }
    }

    /**
     * The context this engine is bound to.
     *
     * @return the event-loop context
     */
    public final Context context() {
        return context;
    }

    /**
     * Any thread: whether the caller runs on the context's event-loop thread.
     *
     * @return {@code true} on the loop
     */
    public final boolean inLoop() {
        return context.inThread();
    }

    /**
     * The adapter-owned buffers.
     *
     * @return the pool
     */
    public final AioBufferPool buffers() {
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
    public final <A> Op newOperation(Op.Kind kind, A attachment, AioCompletion<? super A> completion) {
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
    public final Op transfer(Op op, int handle, MemorySegment buffer, long offset) {
        op.handle = handle;
        op.buffer = buffer;
        op.view = Segments.view(buffer);
        op.offset = offset;
        return op;
    }

    /**
     * Any thread: the request fields of an operation on a handle, a path, an address or a number.
     *
     * @param op       the operation
     * @param handle   its handle, or 0
     * @param argument its object argument, or null
     * @param number   its numeric argument (delay, initial value, backlog), or 0
     * @return {@code op}
     */
    public final Op request(Op op, int handle, Object argument, long number) {
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
    public final long submit(Op op) {
        runOnLoop(op);
        return op.token;
    }

    /**
     * Any thread: runs a task on the loop after the tasks queued before it.
     *
     * @param task the task
     * @throws IllegalStateException if this engine is closed
     */
    public final void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
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
    public final void cancel(long token) {
        if (token <= 0 || token > tokens.get() || terminated) {
            return;
        }
        runOnLoop(() -> {
            Op op = pending.get(token);
            if (op != null && !op.done) {
                enter();
                try {
                    cancelOnLoop(op);
                } finally {
                    exit();
                }
            }
        });
    }

    /**
     * Loop: asks a pending operation to stop.
     *
     * @param op the operation, started and not completed
     */
    abstract void cancelOnLoop(Op op);

    /**
     * Loop: starts an operation — completes it with {@code -ECANCELED} once closing has begun, else records it as
     * started and hands it to {@link #dispatch}; an exception from there completes it with its errno.
     *
     * @param op the operation
     */
    final void start(Op op) {
        enter();
        try {
            if (closing) {
                complete(op, -AioErrno.ECANCELED);
                return;
            }
            started(op);
            dispatch(op);
        } catch (RuntimeException | LinkageError e) {
            if (e instanceof LinkageError) {
                // A library on the class path that does not match what this adapter was built against.
                errorHandler.accept(e);
            }
            complete(op, ErrnoMapping.result(e));
        } finally {
            exit();
        }
    }

    /**
     * Loop: submits a started operation of any kind to this engine's I/O.
     *
     * @param op the operation, recorded as started
     */
    abstract void dispatch(Op op);

    /**
     * Any thread: adds to an eventfd's counter.
     *
     * @param handle the eventfd handle
     * @param n      the amount, {@code >= 1} (checked)
     * @return whether it was added
     */
    public abstract boolean signal(int handle, long n);

    /**
     * Any thread: the local address of a socket handle.
     *
     * @param handle the handle
     * @return the address
     * @throws AioException with {@code EBADF} or {@code ENOTSOCK}
     */
    public abstract SocketAddress localAddress(int handle) throws AioException;

    /**
     * How many handles are open; 0 once closed. For tests and diagnostics.
     *
     * @return the count
     */
    public abstract int openHandles();

    /**
     * How many operations have started on the loop and not completed (after close, those it left held).
     *
     * @return the count
     */
    public final int inFlight() {
        return inFlight;
    }

    /**
     * Whether {@link #close()} has finished.
     *
     * @return {@code true} once every operation completed and every resource was released
     */
    public final boolean isTerminated() {
        return terminated;
    }

    // ---------------------------------------------------------------------------------------------------------
    // The loop.

    final void runOnLoop(Runnable task) {
        if (inLoop()) {
            task.run();
        } else {
            enqueue(task);
        }
    }

    final void enqueue(Runnable task) {
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
    final void enter() {
        depth++;
    }

    /** Loop: closes a scope opened by {@link #enter()}, running the queued completions if it was the last. */
    final void exit() {
        if (--depth == 0 && !ready.isEmpty()) {
            fireReady();
        }
    }

    /**
     * Loop: completes an operation (once; later calls are ignored). Its completion runs at the end of the
     * current loop turn, or now when no turn is in progress.
     */
    final void complete(Op op, int result) {
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

    final void fireReady() {
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

    /** Loop: records an operation as started, so that cancel and close can find it. */
    final void started(Op op) {
        pending.put(op);
        inFlight = pending.size();
    }

    // ---------------------------------------------------------------------------------------------------------
    // Closing.

    /**
     * Any thread: closes this engine as {@code AioOperations.close()} describes; idempotent. From another thread
     * it waits for the loop to finish closing and, if it owns its Vert.x instance, for that to close too.
     */
    public final void close() {
        closed = true;
        if (inLoop()) {
            // Closed on its own event loop, an owned Vert.x instance can only be closed without waiting.
            closeListeners.add((ignored, failure) -> owner.closeFromLoop());
            beginClose();
            return;
        }
        if (!terminated) {
            enqueue(this::beginClose);
            awaitTermination();
        }
        owner.closeAndWait();
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
            if (terminated) {
                done.succeed();
            } else {
                closeListeners.add(done);
                beginClose();
            }
        });
    }

    /** Loop: starts closing (once): runs what is queued, then lets the subclass settle its operations. */
    private void beginClose() {
        if (closing) {
            return;
        }
        closing = true;
        closed = true;
        enter();
        try {
            drainAll();
        } finally {
            depth--;
        }
        shutdown(this::finishClose);
        // What closing completed runs now, also when close was called from inside a completion.
        fireReady();
    }

    /**
     * Loop: completes or cancels every operation in flight and releases every handle, then runs {@code done}
     * on the loop, at once or once the last operation has completed.
     *
     * @param done what finishes closing
     */
    abstract void shutdown(Runnable done);

    /**
     * Loop, before {@code done} of {@link #shutdown}: closing ends with operations the kernel or a file thread
     * still holds. They stay in {@link #pending}; the buffer pool stays allocated and an owned Vert.x instance
     * open (their completions run on its loop) until the subclass calls {@link #kernelLetGo()}.
     */
    final void closedWithOperationsHeld() {
        owner.operationsHeld();
    }

    /** Loop, after a close that timed out: the last held operation has completed; frees what it kept. */
    final void kernelLetGo() {
        poolArena.close();
        owner.letGo();
    }

    /** Loop: called by the subclass once nothing is in flight any more. */
    private void finishClose() {
        if (terminated) {
            return;
        }
        depth++;
        try {
            drainAll();
        } finally {
            depth--;
        }
        fireReady();
        if (!hookRunning && hosted) {
            context.closeFuture().remove(closeHook);
        }
        // Operations the kernel still holds stay recorded: they complete when it gives them back.
        inFlight = pending.size();
        if (!owner.isHeld()) {
            poolArena.close();
        }
        terminated = true;
        onTerminated.run();
        terminatedLatch.countDown();
        settleAfterTermination();
        for (Completable<Void> listener : closeListeners) {
            listener.succeed();
        }
        closeListeners.clear();
    }

    final void drainAll() {
        Runnable task;
        while ((task = inbox.poll()) != null) {
            runTask(task);
        }
    }

    /**
     * After termination, on whatever thread: what raced into the queue with close() still completes, once, on the
     * thread that queued it (as an early completion of its own submitting call). The lock keeps two such threads
     * from running completions at once.
     */
    private void settleAfterTermination() {
        synchronized (stragglers) {
            settleQueued();
        }
    }

    private void settleQueued() {
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
}
