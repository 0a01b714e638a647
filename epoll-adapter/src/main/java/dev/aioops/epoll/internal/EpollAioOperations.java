package dev.aioops.epoll.internal;

import dev.aioops.spi.AioBufferPool;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioCloseTimeoutException;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.SlabBufferPool;
import dev.aioops.spi.internal.WakeupGate;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@link AioOperations} on one {@link Selector} loop: sockets non-blocking with I/O tried at once and again on
 * readiness, files on a bounded pool of threads doing positional {@link java.nio.channels.FileChannel} I/O,
 * eventfds and timeouts in Java on the loop.
 *
 * <p><b>Threads.</b> Everything but the file work runs on the loop: {@link AioConfig.Threading#OWN_THREAD}'s
 * thread, or the host thread that calls {@link #runOnce}. A submission made on the loop starts at once (its
 * completion is queued and runs later in the same turn, never inside the submitting call); one from another
 * thread travels through a lock-free MPSC queue (the inbox), and the {@link WakeupGate} handshake makes a
 * producer wake the selector only when the loop is about to sleep or asleep. File-pool threads hand their
 * results back through the same inbox, so completions never run on a pool thread.
 *
 * <p><b>Parts.</b> This class owns the loop, the inbox and closing; {@link SocketDriver}, {@link FileDriver} and
 * {@link EventfdDriver} perform the operations of each kind, {@link TimerHeap} orders timeouts, and
 * {@link CompletionQueue} holds every operation from start to completion.
 *
 * <p><b>Tokens</b> come from one 64-bit counter per instance, so a token never names two operations and a stale
 * one cancels nothing, although operation records are reused: any thread must get its token at once, which a
 * counter gives without sharing the loop's tables. <b>Handles</b> are slots of a {@link HandleTable} with a
 * generation.
 *
 * <p><b>Closing</b> ({@link #close()}): refuses new work, lets submissions already past the check land,
 * cancels everything pending, waits (bounded by {@link AioConfig#closeTimeout()}) for pool threads still
 * using buffers, runs every completion and queued task once, then closes channels, selector, pool and the
 * buffer arena. A file operation whose pool thread is still inside its system call after the close timeout (a
 * {@link FileStragglers straggler}) is not completed by the close: one
 * {@link dev.aioops.spi.AioCloseTimeoutException} goes to the error handler, and the operation completes once,
 * with its real result, <em>on that pool thread</em> when the call returns, after {@code close()} has returned;
 * its file and, after the last straggler, the buffer pool are freed then.
 */
public final class EpollAioOperations implements AioOperations {

    private static final System.Logger LOG = System.getLogger("dev.aioops.epoll");
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Set<AioCapability> CAPABILITIES = FileIo.DIRECT != null
            ? Set.of(AioCapability.HOST_DRIVEN, AioCapability.DIRECT_IO) : Set.of(AioCapability.HOST_DRIVEN);
    private static final VarHandle LOOP_THREAD;

    /** {@link #admission}: the closed bit; producers count in steps of 2 above it. */
    private static final long CLOSED = 1L;
    private static final long PRODUCER = 2L;

    static {
        try {
            LOOP_THREAD = MethodHandles.lookup().findVarHandle(EpollAioOperations.class, "loopThread", Thread.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AioConfig config;
    private final Consumer<Throwable> errorHandler;
    private final Selector selector;
    private final WakeupGate gate = new WakeupGate();
    /** Ops submitted or returned by the pool, eventfds signalled, cancels and tasks, from other threads. */
    private final MpscUnboundedAtomicArrayQueue<Object> inbox = new MpscUnboundedAtomicArrayQueue<>(1024);
    private final Arena bufferArena = Arena.ofShared();
    private final SlabBufferPool buffers;
    private final FileDriver files;
    private final FileStragglers stragglers;
    private final SocketDriver sockets;
    private final EventfdDriver eventfds;
    private final HandleTable handles;
    private final AtomicLong tokens = new AtomicLong();
    /** The closed bit plus {@link #PRODUCER} for each other-thread submission between its check and enqueue. */
    private final AtomicLong admission = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Thread ownThread;
    private final Consumer<SelectionKey> onKey;

    // Loop-confined state.
    private final CompletionQueue completions;
    private final TimeoutDriver timeouts;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean shuttingDown;
    private boolean done;
    /** Whether a host-driven turn is running, so that runOnce from inside it is refused. */
    private boolean turning;

    /** The loop thread: set at construction for OWN_THREAD, claimed by the first runOnce otherwise. */
    @SuppressWarnings("unused") // also accessed through LOOP_THREAD
    private volatile Thread loopThread;
    private volatile boolean closeRequested;

    private EpollAioOperations(AioConfig config) throws IOException {
        this.config = config;
        this.errorHandler = config.errorHandler();
        this.selector = Selector.open();
        this.buffers = new SlabBufferPool(bufferArena, config.bufferCount(), config.bufferSize());
        int n = INSTANCES.incrementAndGet();
        this.handles = new HandleTable(n);
        this.completions = new CompletionQueue(this::report);
        this.stragglers = new FileStragglers(this::report);
        this.files = new FileDriver(config.fileThreads(), config.daemon(), "aioops-epoll-" + n + "-file-", handles,
                completions);
        this.sockets = new SocketDriver(selector, handles, completions, this::report);
        this.eventfds = new EventfdDriver(handles, completions);
        this.timeouts = new TimeoutDriver(completions);
        this.onKey = sockets::onKey;
        if (config.threading() == AioConfig.Threading.OWN_THREAD) {
            String name = config.threadName() != null ? config.threadName() : "aioops-epoll-" + n;
            this.ownThread = Thread.ofPlatform().name(name).daemon(config.daemon()).unstarted(this::runLoop);
            this.loopThread = ownThread;
        } else {
            this.ownThread = null;
        }
    }

    /**
     * Opens an instance and, for {@link AioConfig.Threading#OWN_THREAD}, starts its loop thread.
     *
     * @param config the configuration
     * @return the running instance
     * @throws UncheckedIOException if no selector can be opened
     */
    public static EpollAioOperations open(AioConfig config) {
        Objects.requireNonNull(config, "config");
        EpollAioOperations ops;
        try {
            ops = new EpollAioOperations(config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a java.nio Selector for the epoll adapter", e);
        }
        if (ops.ownThread != null) {
            ops.ownThread.start();
        }
        return ops;
    }

    // ------------------------------------------------------------------------------------------------ API

    @Override
    public String adapterName() {
        return "epoll";
    }

    @Override
    public Set<AioCapability> capabilities() {
        return CAPABILITIES;
    }

    @Override
    public <A> long read(int handle, MemorySegment buffer, long offset, A attachment,
                         AioCompletion<? super A> completion) {
        Checks.readBuffer(buffer);
        Checks.offset(offset);
        Op op = newOp(Op.READ, handle, attachment, completion);
        op.buffer = buffer;
        op.offset = offset;
        return submit(op);
    }

    @Override
    public <A> long write(int handle, MemorySegment buffer, long offset, A attachment,
                          AioCompletion<? super A> completion) {
        Checks.buffer(buffer);
        Checks.offset(offset);
        Op op = newOp(Op.WRITE, handle, attachment, completion);
        op.buffer = buffer;
        op.offset = offset;
        return submit(op);
    }

    @Override
    public <A> long fsync(int handle, A attachment, AioCompletion<? super A> completion) {
        return submit(newOp(Op.FSYNC, handle, attachment, completion));
    }

    @Override
    public <A> long open(Path path, Set<AioOpenOption> options, A attachment, AioCompletion<? super A> completion) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(options, "options");
        Op op = newOp(Op.OPEN, -1, attachment, completion);
        op.path = path;
        op.options = options.isEmpty() ? EnumSet.noneOf(AioOpenOption.class) : EnumSet.copyOf(options);
        return submit(op);
    }

    @Override
    public <A> long listen(InetSocketAddress address, int backlog, A attachment,
                           AioCompletion<? super A> completion) {
        Checks.address(address);
        Checks.backlog(backlog);
        Op op = newOp(Op.LISTEN, -1, attachment, completion);
        op.address = address;
        op.backlog = backlog;
        return submit(op);
    }

    @Override
    public <A> long accept(int listenHandle, A attachment, AioCompletion<? super A> completion) {
        return submit(newOp(Op.ACCEPT, listenHandle, attachment, completion));
    }

    @Override
    public <A> long connect(InetSocketAddress address, A attachment, AioCompletion<? super A> completion) {
        Checks.address(address);
        Op op = newOp(Op.CONNECT, -1, attachment, completion);
        op.address = address;
        return submit(op);
    }

    @Override
    public <A> long close(int handle, A attachment, AioCompletion<? super A> completion) {
        return submit(newOp(Op.CLOSE, handle, attachment, completion));
    }

    @Override
    public <A> long eventfd(long initialValue, A attachment, AioCompletion<? super A> completion) {
        Checks.eventfdInitialValue(initialValue);
        Op op = newOp(Op.EVENTFD, -1, attachment, completion);
        op.value = initialValue;
        return submit(op);
    }

    @Override
    public boolean signal(int eventfdHandle, long n) {
        Checks.signalAmount(n);
        if (!(handles.get(eventfdHandle) instanceof EventfdResource r) || r.closed || !r.add(n)) {
            return false;
        }
        if (inLoop()) {
            eventfds.deliver(r);
        } else if (r.notifyQueued.compareAndSet(false, true)) {
            // One message per burst: the loop clears the flag before it looks at the counter.
            inbox.offer(r);
            wake();
        }
        return true;
    }

    @Override
    public <A> long timeout(long nanos, A attachment, AioCompletion<? super A> completion) {
        Checks.timeout(nanos);
        Op op = newOp(Op.TIMEOUT, -1, attachment, completion);
        op.value = TimeoutDriver.deadline(nanos);
        return submit(op);
    }

    @Override
    public void cancel(long token) {
        if (token <= 0) {
            return;
        }
        if (inLoop()) {
            completions.cancel(token);
        } else if ((admission.get() & CLOSED) == 0) {
            inbox.offer(new CancelRequest(token));
            wake();
        }
    }

    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (inLoop()) {
            if ((admission.get() & CLOSED) != 0) {
                throw Checks.closed("epoll");
            }
            tasks.add(task);
            return;
        }
        enter();
        try {
            inbox.offer(task);
        } finally {
            leave();
        }
        wake();
    }

    @Override
    public boolean inLoop() {
        return Thread.currentThread() == loopThread;
    }

    @Override
    public InetSocketAddress localAddress(int handle) throws IOException {
        return switch (handles.get(handle)) {
            case null -> throw new AioException(AioErrno.EBADF, "localAddress of handle " + handle);
            case SocketResource s -> (InetSocketAddress) s.channel.getLocalAddress();
            case ListenResource l -> (InetSocketAddress) l.channel.getLocalAddress();
            default -> throw new AioException(AioErrno.ENOTSOCK, "localAddress of handle " + handle);
        };
    }

    @Override
    public AioBufferPool buffers() {
        return buffers;
    }

    @Override
    public int runOnce(long timeoutNanos) {
        if (ownThread != null) {
            throw new IllegalStateException("this epoll AioOperations runs on its own thread; open it with "
                    + "AioConfig.Threading.HOST_DRIVEN to drive it with runOnce");
        }
        claimLoop("runOnce");
        if (done || (admission.get() & CLOSED) != 0) {
            throw Checks.closed("epoll");
        }
        if (turning) {
            throw new IllegalStateException("runOnce called from a completion or task of the same instance; return "
                    + "to the host loop instead");
        }
        turning = true;
        try {
            return turn(timeoutNanos);
        } finally {
            turning = false;
        }
    }

    @Override
    public int notificationFd() {
        return -1;
    }

    @Override
    public void close() {
        Thread me = Thread.currentThread();
        if (ownThread == null) {
            claimLoop("close");
            markClosed();
            shutdown();
            return;
        }
        markClosed();
        if (me == ownThread) {
            shutdown();
            return;
        }
        closeRequested = true;
        selector.wakeup();
        boolean interrupted = false;
        while (true) {
            try {
                terminated.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "EpollAioOperations[" + config + "]";
    }

    // ------------------------------------------------------------------------------------------ submission

    @SuppressWarnings("unchecked")
    private <A> Op newOp(int kind, int handle, A attachment, AioCompletion<? super A> completion) {
        Checks.completion(completion);
        Op op = inLoop() ? completions.spare() : null;
        if (op == null) {
            op = new Op(this);
        }
        // The completion takes any A; it is only ever called with this attachment.
        return op.init(kind, tokens.incrementAndGet(), handle, attachment, (AioCompletion<Object>) completion);
    }

    private long submit(Op op) {
        if (inLoop()) {
            if ((admission.get() & CLOSED) != 0) {
                throw Checks.closed("epoll");
            }
            start(op);
        } else {
            enter();
            try {
                inbox.offer(op);
            } finally {
                leave();
            }
            wake();
        }
        return op.token;
    }

    /** Other thread, before enqueueing work: refuses it after close, else counts the producer in. */
    private void enter() {
        if ((admission.getAndAdd(PRODUCER) & CLOSED) != 0) {
            admission.getAndAdd(-PRODUCER);
            throw Checks.closed("epoll");
        }
    }

    private void leave() {
        admission.getAndAdd(-PRODUCER);
    }

    private void markClosed() {
        admission.getAndUpdate(s -> s | CLOSED);
    }

    private void wake() {
        if (gate.claimWakeup()) {
            selector.wakeup();
        }
    }

    /** Called by a pool thread with a finished file operation. */
    void fromPool(Op op) {
        if (stragglers.handOver(op, inbox)) {
            wake();
        }
    }

    private void claimLoop(String what) {
        Thread me = Thread.currentThread();
        Thread driver = loopThread;
        if (driver == null && LOOP_THREAD.compareAndSet(this, (Thread) null, me)) {
            return;
        }
        driver = loopThread;
        if (driver != me) {
            throw new IllegalStateException(what + " of a host-driven epoll AioOperations must be called by the "
                    + "thread that drives it (" + driver.getName() + "), not " + me.getName());
        }
    }

    // ------------------------------------------------------------------------------------------------ loop

    private void runLoop() {
        try {
            while (!done) {
                if (closeRequested) {
                    shutdown();
                    break;
                }
                try {
                    turn(-1);
                } catch (RuntimeException e) {
                    report(e);
                }
            }
        } catch (Throwable fatal) {
            LOG.log(System.Logger.Level.ERROR, "the epoll loop failed; closing", fatal);
            markClosed();
            shutdown();
            throw fatal;
        }
    }

    /**
     * One loop turn: take the inbox, run what is ready, wait for readiness or a timer (not if anything ran),
     * handle the selected keys and expired timers, run what became ready.
     *
     * @param timeoutNanos the longest wait; negative for no limit
     * @return the number of completions and tasks run
     */
    private int turn(long timeoutNanos) {
        drainInbox();
        int ran = runReady();
        if (done) {
            return ran;
        }
        boolean busy = ran > 0 || completions.hasReady() || !tasks.isEmpty() || closeRequested;
        select(busy ? 0 : timeouts.waitNanos(timeoutNanos));
        if (done) {
            return ran;
        }
        drainInbox();
        timeouts.expire();
        return ran + runReady();
    }

    private void select(long waitNanos) {
        try {
            if (waitNanos == 0) {
                selector.selectNow(onKey);
                return;
            }
            gate.prepareSleep();
            if (!inbox.isEmpty()) {
                gate.cancelSleep();
                selector.selectNow(onKey);
                return;
            }
            if (waitNanos < 0) {
                selector.select(onKey);
            } else {
                // Selector waits in whole milliseconds and 0 means forever: round up.
                selector.select(onKey, Math.max(1, (waitNanos + 999_999) / 1_000_000));
            }
            gate.awake();
        } catch (IOException e) {
            gate.awake();
            report(e);
        }
    }

    private void drainInbox() {
        Object message;
        while (!done && (message = inbox.poll()) != null) {
            switch (message) {
                case Op op -> {
                    if (op.stage == Op.NEW && shuttingDown) {
                        // Accepted before close() began, reaching the loop after: it completes, cancelled.
                        completions.started(op);
                        completions.finish(op, -AioErrno.ECANCELED);
                    } else if (op.stage == Op.NEW) {
                        start(op);
                    } else {
                        files.done(op, shuttingDown);
                    }
                }
                case EventfdResource r -> {
                    r.notifyQueued.set(false);
                    eventfds.deliver(r);
                }
                case CancelRequest c -> completions.cancel(c.token());
                case Runnable task -> tasks.add(task);
                default -> throw new IllegalStateException("unexpected message " + message);
            }
        }
    }

    private int runReady() {
        int ran = 0;
        while (true) {
            if (completions.deliverNext()) {
                ran++;
                continue;
            }
            Runnable task = tasks.poll();
            if (task == null) {
                return ran;
            }
            try {
                task.run();
            } catch (Throwable e) {
                report(e);
            }
            ran++;
        }
    }

    private void report(Throwable error) {
        try {
            errorHandler.accept(error);
        } catch (Throwable handlerFailure) {
            error.addSuppressed(handlerFailure);
            LOG.log(System.Logger.Level.ERROR, "the error handler threw", error);
        }
    }

    // ----------------------------------------------------------------------------------------- operations

    private void start(Op op) {
        completions.started(op);
        switch (op.kind) {
            case Op.READ, Op.WRITE -> startTransfer(op);
            case Op.FSYNC -> files.fsync(op);
            case Op.OPEN -> files.open(op);
            case Op.LISTEN -> sockets.listen(op);
            case Op.ACCEPT -> sockets.accept(op);
            case Op.CONNECT -> sockets.connect(op);
            case Op.CLOSE -> startClose(op);
            case Op.EVENTFD -> eventfds.create(op);
            case Op.TIMEOUT -> timeouts.start(op);
            default -> completions.finish(op, -AioErrno.EINVAL);
        }
    }

    private void startTransfer(Op op) {
        boolean read = op.kind == Op.READ;
        switch (handles.get(op.handle)) {
            case FileResource f -> files.transfer(f, op);
            case SocketResource s -> sockets.transfer(s, op);
            case EventfdResource e -> eventfds.transfer(e, op);
            // As Linux: read(2) of a listening TCP socket is ENOTCONN, write(2) EPIPE.
            case ListenResource l -> completions.finish(op, read ? -AioErrno.ENOTCONN : -AioErrno.EPIPE);
            case null -> completions.finish(op, -AioErrno.EBADF);
        }
    }

    private void startClose(Op op) {
        Resource r = handles.remove(op.handle);
        if (r == null) {
            completions.finish(op, -AioErrno.EBADF);
            return;
        }
        r.closed = true;
        switch (r) {
            case SocketResource s -> {
                sockets.cancelAndClose(s);
                completions.finish(op, 0);
            }
            case ListenResource l -> {
                sockets.cancelAndClose(l);
                completions.finish(op, 0);
            }
            case EventfdResource e -> {
                eventfds.cancelAll(e);
                completions.finish(op, 0);
            }
            case FileResource f -> files.close(f, op);
        }
    }

    // -------------------------------------------------------------------------------------------- closing

    /**
     * Loop (or the host thread, or the closing thread of a never-driven instance): completes everything once
     * and frees what this instance holds. Idempotent.
     */
    private void shutdown() {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        try {
            // Submissions past the closed check land in the inbox; wait for their producers to leave.
            while (admission.get() != CLOSED) {
                Thread.onSpinWait();
            }
            drainInbox();
            for (Resource r : handles.all()) {
                r.closed = true;
            }
            completions.cancelAll();
            files.shutdown(config.closeTimeout());
            stragglers.closing(this::finishClosing, this::releaseMemory);
        } finally {
            done = true;
            terminated.countDown();
        }
    }

    /**
     * The end of {@link #shutdown()}, once the pool had its time: completes every operation but the stragglers
     * (a pool thread still in its system call, or a close waiting for one), reports those, and closes what they
     * do not use. Runs holding the stragglers' lock, so none of them completes meanwhile.
     *
     * @return how many stragglers stay pending
     */
    private int finishClosing() {
        stragglers.seal();
        // Pool threads now complete their own operations; take what they handed over before.
        drainInbox();
        int stuck = 0;
        StringBuilder detail = new StringBuilder();
        for (Op op : completions.snapshot()) {
            if (op.stage != Op.PENDING) {
                continue;
            }
            if (!FileStragglers.waitsForPool(op)) {
                completions.finish(op, -AioErrno.ECANCELED);
            } else if (op.inPool) {
                stuck++;
                if (stuck <= 8) {
                    detail.append(stuck == 1 ? "" : ", ").append(Op.kindName(op.kind)).append(" of handle ")
                            .append(op.handle);
                }
            }
        }
        for (Resource r : handles.all()) {
            handles.remove(r.handle);
            switch (r) {
                case SocketResource s -> sockets.cancelAndClose(s);
                case ListenResource l -> sockets.cancelAndClose(l);
                // Closing a channel waits for the threads inside it: a straggler's file closes when it is back.
                case FileResource f -> {
                    if (f.inPool.isEmpty()) {
                        Quietly.close(f.channel);
                    }
                }
                case EventfdResource e -> eventfds.cancelAll(e);
            }
        }
        runReady();
        Quietly.close(selector);
        if (stuck > 0) {
            report(new AioCloseTimeoutException("epoll", stuck, config.closeTimeout(),
                    (stuck > 8 ? detail.append(", ...") : detail) + "; each completes on its file-pool thread "
                            + "when its system call returns"));
        }
        return stuck;
    }

    /** The buffer pool's memory, freed once no pool thread can still be copying into it. */
    private void releaseMemory() {
        bufferArena.close();
    }

    /** A cancel from another thread, carried to the loop. */
    private record CancelRequest(long token) {
    }
}
