package dev.aioops.epoll.internal;

import dev.aioops.spi.AioBufferPool;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.ErrnoMapping;
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
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
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
 * <p><b>Tokens</b> come from one counter per instance, so a token never names two operations and a stale one
 * cancels nothing. <b>Handles</b> are slots of a {@link HandleTable} with a generation.
 *
 * <p><b>Closing</b> ({@link #close()}): refuses new work, lets submissions already past the check land,
 * cancels everything pending, waits (bounded by {@link AioConfig#closeTimeout()}) for pool threads still
 * using buffers, runs every completion and queued task once, then closes channels, selector, pool and the
 * buffer arena (not the arena if a pool thread failed to return in time: its memory is then leaked, never
 * freed under a running copy).
 */
public final class EpollAioOperations implements AioOperations {

    private static final System.Logger LOG = System.getLogger("dev.aioops.epoll");
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Set<AioCapability> CAPABILITIES = FileIo.DIRECT != null
            ? Set.of(AioCapability.DIRECT_IO) : Set.of();
    private static final VarHandle LOOP_THREAD;

    private static final int MAX_SPARE_OPS = 4096;
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
    private final ThreadPoolExecutor files;
    private final HandleTable handles;
    private final AtomicLong tokens = new AtomicLong();
    /** The closed bit plus {@link #PRODUCER} for each other-thread submission between its check and enqueue. */
    private final AtomicLong admission = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Thread ownThread;
    private final Consumer<SelectionKey> onKey = this::onKey;

    // Loop-confined state.
    private final TokenMap pending = new TokenMap();
    private final TimerHeap timers = new TimerHeap();
    private final ArrayDeque<Op> ready = new ArrayDeque<>();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    /** Delivered operations kept for reuse by submissions on the loop, so that those allocate nothing. */
    private final ArrayDeque<Op> spareOps = new ArrayDeque<>();
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
        AtomicInteger fileThreadCount = new AtomicInteger();
        this.files = new ThreadPoolExecutor(config.fileThreads(), config.fileThreads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread t = new Thread(task, "aioops-epoll-" + n + "-file-" + fileThreadCount.incrementAndGet());
                    t.setDaemon(config.daemon());
                    return t;
                });
        files.allowCoreThreadTimeOut(true);
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
        Checks.buffer(buffer);
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
            deliverEventfd(r);
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
        long now = System.nanoTime();
        op.value = nanos > Long.MAX_VALUE / 2 ? now + Long.MAX_VALUE / 2 : now + nanos;
        return submit(op);
    }

    @Override
    public void cancel(long token) {
        if (token <= 0) {
            return;
        }
        if (inLoop()) {
            cancelOnLoop(token);
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
        // The completion takes any A; it is only ever called with this attachment.
        Op op = inLoop() ? spareOps.poll() : null;
        if (op == null) {
            op = new Op(this);
        }
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
        inbox.offer(op);
        wake();
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
        long wait = ran > 0 || !ready.isEmpty() || !tasks.isEmpty() || closeRequested ? 0 : timerWait(timeoutNanos);
        select(wait);
        if (done) {
            return ran;
        }
        drainInbox();
        expireTimers();
        return ran + runReady();
    }

    private long timerWait(long timeoutNanos) {
        Op next = timers.peek();
        if (next == null) {
            return timeoutNanos;
        }
        long untilTimer = Math.max(0, next.value - System.nanoTime());
        return timeoutNanos < 0 ? untilTimer : Math.min(untilTimer, timeoutNanos);
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
                        op.stage = Op.PENDING;
                        pending.put(op);
                        finish(op, -AioErrno.ECANCELED);
                    } else if (op.stage == Op.NEW) {
                        start(op);
                    } else {
                        poolDone(op);
                    }
                }
                case EventfdResource r -> {
                    r.notifyQueued.set(false);
                    deliverEventfd(r);
                }
                case CancelRequest c -> cancelOnLoop(c.token());
                case Runnable task -> tasks.add(task);
                default -> throw new IllegalStateException("unexpected message " + message);
            }
        }
    }

    private int runReady() {
        int ran = 0;
        while (true) {
            Op op = ready.poll();
            if (op != null) {
                deliver(op);
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

    private void deliver(Op op) {
        op.stage = Op.DONE;
        pending.remove(op.token);
        int result = op.result;
        Object attachment = op.attachment;
        AioCompletion<Object> completion = op.completion;
        // Nothing refers to the operation any more (not the token map, a queue, the heap, or the pool).
        if (op.recycle() && spareOps.size() < MAX_SPARE_OPS) {
            spareOps.push(op);
        }
        try {
            completion.completed(result, attachment);
        } catch (Throwable e) {
            report(e);
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

    /** Queues the completion of an operation with its result; it runs in this turn's ready phase. */
    private void finish(Op op, int result) {
        op.result = result;
        op.stage = Op.READY;
        ready.add(op);
    }

    private void expireTimers() {
        if (timers.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        Op op;
        while ((op = timers.peek()) != null && op.value - now <= 0) {
            timers.poll();
            finish(op, 0);
        }
    }

    // ----------------------------------------------------------------------------------------- operations

    private void start(Op op) {
        op.stage = Op.PENDING;
        pending.put(op);
        switch (op.kind) {
            case Op.READ, Op.WRITE -> startTransfer(op);
            case Op.FSYNC -> startFsync(op);
            case Op.OPEN -> toPool(op, null);
            case Op.LISTEN -> startListen(op);
            case Op.ACCEPT -> startAccept(op);
            case Op.CONNECT -> startConnect(op);
            case Op.CLOSE -> startClose(op);
            case Op.EVENTFD -> finish(op, added(handles.add(new EventfdResource(op.value))));
            case Op.TIMEOUT -> timers.add(op);
            default -> finish(op, -AioErrno.EINVAL);
        }
    }

    private static int added(int handle) {
        return handle < 0 ? -AioErrno.EMFILE : handle;
    }

    private void startTransfer(Op op) {
        boolean read = op.kind == Op.READ;
        switch (handles.get(op.handle)) {
            case FileResource f -> {
                if (read ? !f.readable : !f.writable) {
                    finish(op, -AioErrno.EBADF);
                } else {
                    toPool(op, f);
                }
            }
            case SocketResource s -> {
                if (op.offset != STREAM) {
                    finish(op, -AioErrno.ESPIPE);
                    return;
                }
                OpList queue = read ? s.readers : s.writers;
                if (queue.isEmpty()) {
                    int result = transfer(s, op);
                    if (result != WOULD_BLOCK) {
                        finish(op, result);
                        return;
                    }
                }
                queue.add(op);
                updateInterest(s);
            }
            case EventfdResource e -> {
                if (op.offset != STREAM) {
                    finish(op, -AioErrno.ESPIPE);
                } else if (op.buffer.byteSize() < 8) {
                    finish(op, -AioErrno.EINVAL);
                } else if (read) {
                    e.readers.add(op);
                    deliverEventfd(e);
                } else {
                    long value = Buffers.getLong(op.buffer);
                    if (value == -1L) {
                        finish(op, -AioErrno.EINVAL);
                    } else if (value != 0 && !e.add(value)) {
                        finish(op, -AioErrno.EAGAIN);
                    } else {
                        finish(op, 8);
                        deliverEventfd(e);
                    }
                }
            }
            // As Linux: read(2) of a listening TCP socket is ENOTCONN, write(2) EPIPE.
            case ListenResource l -> finish(op, read ? -AioErrno.ENOTCONN : -AioErrno.EPIPE);
            case null -> finish(op, -AioErrno.EBADF);
        }
    }

    private static final int WOULD_BLOCK = Integer.MIN_VALUE;

    private static int transfer(SocketResource s, Op op) {
        try {
            ByteBuffer buffer = op.view;
            if (buffer == null) {
                // Kept across attempts: an attempt that would block transferred nothing.
                buffer = Buffers.view(op.buffer);
                op.view = buffer;
            }
            if (!buffer.hasRemaining()) {
                return 0;
            }
            int n = op.kind == Op.READ ? s.channel.read(buffer) : s.channel.write(buffer);
            if (n == 0) {
                return WOULD_BLOCK;
            }
            return Math.max(n, 0);
        } catch (IOException | RuntimeException e) {
            return ErrnoMapping.result(e);
        }
    }

    private void startFsync(Op op) {
        switch (handles.get(op.handle)) {
            case FileResource f -> toPool(op, f);
            case null -> finish(op, -AioErrno.EBADF);
            default -> finish(op, -AioErrno.EINVAL);
        }
    }

    private void toPool(Op op, FileResource file) {
        op.resource = file;
        op.inPool = true;
        op.pooled = true;
        if (file != null) {
            file.inPool.add(op);
        }
        try {
            files.execute(op);
        } catch (RejectedExecutionException e) {
            if (file != null) {
                file.inPool.remove(op);
            }
            op.inPool = false;
            finish(op, -AioErrno.ECANCELED);
        }
    }

    private void poolDone(Op op) {
        op.inPool = false;
        if (op.stage != Op.PENDING) {
            return;
        }
        if (op.kind == Op.OPEN) {
            if (op.result < 0) {
                finish(op, op.result);
            } else if (shuttingDown) {
                closeQuietly(op.opened);
                finish(op, -AioErrno.ECANCELED);
            } else {
                int handle = handles.add(op.resource);
                if (handle < 0) {
                    closeQuietly(op.opened);
                }
                finish(op, added(handle));
            }
            op.opened = null;
            op.resource = null;
            return;
        }
        FileResource file = (FileResource) op.resource;
        file.inPool.remove(op);
        finish(op, op.result);
        if (file.closeOp != null && file.inPool.isEmpty()) {
            closeQuietly(file.channel);
            Op close = file.closeOp;
            file.closeOp = null;
            finish(close, 0);
        }
    }

    private void startListen(Op op) {
        ServerSocketChannel channel = null;
        try {
            channel = ServerSocketChannel.open();
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(op.address, op.backlog);
            channel.configureBlocking(false);
            int handle = handles.add(new ListenResource(channel));
            if (handle < 0) {
                closeQuietly(channel);
            }
            finish(op, added(handle));
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            finish(op, ErrnoMapping.result(e));
        }
    }

    private void startAccept(Op op) {
        switch (handles.get(op.handle)) {
            case ListenResource l -> {
                if (l.acceptors.isEmpty()) {
                    int result = accept(l);
                    if (result != WOULD_BLOCK) {
                        finish(op, result);
                        return;
                    }
                }
                l.acceptors.add(op);
                updateInterest(l);
            }
            case null -> finish(op, -AioErrno.EBADF);
            case SocketResource s -> finish(op, -AioErrno.EINVAL);
            default -> finish(op, -AioErrno.ENOTSOCK);
        }
    }

    private int accept(ListenResource l) {
        SocketChannel channel = null;
        try {
            channel = l.channel.accept();
            if (channel == null) {
                return WOULD_BLOCK;
            }
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            int handle = handles.add(new SocketResource(channel));
            if (handle < 0) {
                closeQuietly(channel);
            }
            return added(handle);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            return ErrnoMapping.result(e);
        }
    }

    private void startConnect(Op op) {
        SocketChannel channel = null;
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SocketResource s = new SocketResource(channel);
            if (channel.connect(op.address)) {
                connected(op, s);
                return;
            }
            s.connectOp = op;
            op.resource = s;
            updateInterest(s);
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            finish(op, ErrnoMapping.result(e));
        }
    }

    private void connected(Op op, SocketResource s) {
        int handle = handles.add(s);
        if (handle < 0) {
            closeSocket(s);
        }
        finish(op, added(handle));
    }

    private void startClose(Op op) {
        Resource r = handles.remove(op.handle);
        if (r == null) {
            finish(op, -AioErrno.EBADF);
            return;
        }
        r.closed = true;
        switch (r) {
            case SocketResource s -> {
                cancelAll(s.readers);
                cancelAll(s.writers);
                closeSocket(s);
                finish(op, 0);
            }
            case ListenResource l -> {
                cancelAll(l.acceptors);
                if (l.key != null) {
                    l.key.cancel();
                }
                closeQuietly(l.channel);
                finish(op, 0);
            }
            case EventfdResource e -> {
                cancelAll(e.readers);
                finish(op, 0);
            }
            case FileResource f -> {
                for (Op queued = f.inPool.peek(); queued != null; ) {
                    Op next = queued.next;
                    if (queued.cancelInPool()) {
                        f.inPool.remove(queued);
                        queued.inPool = false;
                        finish(queued, -AioErrno.ECANCELED);
                    }
                    queued = next;
                }
                if (f.inPool.isEmpty()) {
                    closeQuietly(f.channel);
                    finish(op, 0);
                } else {
                    // Running pool work still uses the descriptor: close when the last one is back.
                    f.closeOp = op;
                }
            }
        }
    }

    private void cancelAll(OpList list) {
        Op op;
        while ((op = list.poll()) != null) {
            finish(op, -AioErrno.ECANCELED);
        }
    }

    private void closeSocket(SocketResource s) {
        if (s.key != null) {
            s.key.cancel();
        }
        closeQuietly(s.channel);
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // Nothing to report: the handle is gone either way.
            }
        }
    }

    private void deliverEventfd(EventfdResource e) {
        while (!e.readers.isEmpty()) {
            long value = e.take();
            if (value == 0) {
                return;
            }
            Op op = e.readers.poll();
            Buffers.putLong(op.buffer, value);
            finish(op, 8);
        }
    }

    private void cancelOnLoop(long token) {
        Op op = pending.get(token);
        if (op == null || op.stage != Op.PENDING) {
            return;
        }
        if (op.inPool) {
            if (op.cancelInPool()) {
                op.inPool = false;
                if (op.resource instanceof FileResource f && op.kind != Op.OPEN) {
                    f.inPool.remove(op);
                    finish(op, -AioErrno.ECANCELED);
                    if (f.closeOp != null && f.inPool.isEmpty()) {
                        closeQuietly(f.channel);
                        Op close = f.closeOp;
                        f.closeOp = null;
                        finish(close, 0);
                    }
                } else {
                    finish(op, -AioErrno.ECANCELED);
                }
            }
            return;
        }
        switch (op.kind) {
            case Op.TIMEOUT -> {
                timers.remove(op);
                finish(op, -AioErrno.ECANCELED);
            }
            case Op.CONNECT -> {
                SocketResource s = (SocketResource) op.resource;
                s.connectOp = null;
                closeSocket(s);
                finish(op, -AioErrno.ECANCELED);
            }
            default -> {
                if (op.list != null) {
                    op.list.remove(op);
                    finish(op, -AioErrno.ECANCELED);
                    refreshInterest(op.handle);
                }
            }
        }
    }

    private void refreshInterest(int handle) {
        switch (handles.get(handle)) {
            case SocketResource s -> updateInterest(s);
            case ListenResource l -> updateInterest(l);
            case null, default -> {
            }
        }
    }

    // ----------------------------------------------------------------------------------------- readiness

    private void onKey(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        int ready = key.readyOps();
        switch (key.attachment()) {
            case SocketResource s -> {
                if ((ready & SelectionKey.OP_CONNECT) != 0 && s.connectOp != null) {
                    finishConnect(s);
                }
                if ((ready & SelectionKey.OP_READ) != 0) {
                    pump(s, s.readers);
                }
                if ((ready & SelectionKey.OP_WRITE) != 0) {
                    pump(s, s.writers);
                }
                if (key.isValid()) {
                    updateInterest(s);
                }
            }
            case ListenResource l -> {
                Op op;
                while ((op = l.acceptors.peek()) != null) {
                    int result = accept(l);
                    if (result == WOULD_BLOCK) {
                        break;
                    }
                    l.acceptors.poll();
                    finish(op, result);
                }
                if (key.isValid()) {
                    updateInterest(l);
                }
            }
            default -> {
            }
        }
    }

    private void pump(SocketResource s, OpList queue) {
        Op op;
        while ((op = queue.peek()) != null) {
            int result = transfer(s, op);
            if (result == WOULD_BLOCK) {
                return;
            }
            queue.poll();
            finish(op, result);
        }
    }

    private void finishConnect(SocketResource s) {
        Op op = s.connectOp;
        s.connectOp = null;
        op.resource = null;
        try {
            if (s.channel.finishConnect()) {
                connected(op, s);
            } else {
                s.connectOp = op;
                op.resource = s;
            }
        } catch (IOException | RuntimeException e) {
            closeSocket(s);
            finish(op, ErrnoMapping.result(e));
        }
    }

    private void updateInterest(SocketResource s) {
        s.key = interest(s.channel, s.key, s.interest(), s);
    }

    private void updateInterest(ListenResource l) {
        l.key = interest(l.channel, l.key, l.interest(), l);
    }

    private SelectionKey interest(java.nio.channels.SelectableChannel channel, SelectionKey key, int ops,
                                  Resource r) {
        try {
            if (key == null) {
                return ops == 0 ? null : channel.register(selector, ops, r);
            }
            if (key.isValid() && key.interestOps() != ops) {
                key.interestOps(ops);
            }
            return key;
        } catch (IOException | RuntimeException e) {
            report(e);
            return key;
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
            for (Op op : pending.snapshot()) {
                cancelOnLoop(op.token);
            }
            boolean poolReturned = awaitPool();
            drainInbox();
            for (Op op : pending.snapshot()) {
                if (op.stage == Op.PENDING) {
                    // A pool thread that did not come back in time: it still has the buffer, we give up on it.
                    finish(op, -AioErrno.ECANCELED);
                }
            }
            for (Resource r : handles.all()) {
                handles.remove(r.handle);
                switch (r) {
                    case SocketResource s -> closeSocket(s);
                    case ListenResource l -> closeQuietly(l.channel);
                    case FileResource f -> {
                        closeQuietly(f.channel);
                        if (f.closeOp != null) {
                            finish(f.closeOp, 0);
                            f.closeOp = null;
                        }
                    }
                    case EventfdResource e -> {
                    }
                }
            }
            runReady();
            // Messages that arrived after the last drain: only tasks count (cancels and signals are moot).
            Object message;
            while ((message = inbox.poll()) != null) {
                if (message instanceof Runnable task && !(message instanceof Op)) {
                    tasks.add(task);
                }
            }
            runReady();
            closeQuietly(selector);
            if (poolReturned) {
                bufferArena.close();
            } else {
                LOG.log(System.Logger.Level.WARNING, "epoll: file threads still running after "
                        + config.closeTimeout() + "; their buffers are leaked, not freed");
            }
        } finally {
            done = true;
            terminated.countDown();
        }
    }

    private boolean awaitPool() {
        files.shutdown();
        try {
            return files.awaitTermination(config.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A cancel from another thread, carried to the loop. */
    private record CancelRequest(long token) {
    }
}
