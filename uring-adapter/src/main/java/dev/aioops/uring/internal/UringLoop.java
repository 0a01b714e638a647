package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.SlabBufferPool;
import dev.aioops.spi.internal.WakeupGate;
import dev.aioops.uring.ring.UringLayout;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The loop of one {@link UringAioOperations}: its thread (its own, or the host's through {@link #runOnce}), the
 * turn, the routing of completions, and the life of everything the kernel may touch (the ring, the registered
 * buffers, the op table's memory), which it frees only once the kernel holds none of it.
 *
 * <p><b>Loop turn.</b> Drain the cross-thread inbox (submissions, tasks, cancels), run local tasks, reap the CQ
 * and run completions, then one {@code io_uring_enter} that submits everything queued in the turn and either
 * returns at once (more work is ready) or sleeps for at least one completion. A read of a private eventfd is
 * always pending so that other threads can wake the sleeping loop ({@link WakeupGate}: at most one eventfd write
 * per sleep). Operations that complete without reaching the kernel (early errors, listen, eventfd) complete from
 * the turn too, never inside the submitting call, so that chains of them run in bounded stack and in submission
 * order ({@link EarlyCompletions}).
 *
 * <p><b>Notification fd.</b> A {@link AioConfig.Threading#HOST_DRIVEN} instance registers an eventfd with its
 * ring ({@code IORING_REGISTER_EVENTFD}) for {@link #notificationFd()}; the wake-up read keeps tasks and
 * cross-thread submissions visible through it too. Work that the driving thread itself queues between two
 * {@code runOnce} calls (submissions, cancels, tasks, early completions) writes the wake-up eventfd once per gap,
 * which signals the notification fd too. An instance on its own thread has none (-1).
 *
 * <p><b>Threads.</b> Everything here runs on the loop thread except {@link #post}, {@link #close()} and the
 * state queries marked "any thread".
 */
final class UringLoop {

    private static final System.Logger LOG = System.getLogger("dev.aioops");
    private static final AtomicInteger THREADS = new AtomicInteger();
    /** Memory the kernel may still hold after a close that timed out: kept reachable forever rather than freed. */
    private static final Queue<Object> LEAKED = new ConcurrentLinkedQueue<>();

    private static final long REMOTE_TOKEN = Long.MIN_VALUE;
    private static final int INBOX_BATCH = 4096;

    private final AioConfig config;
    private final Ring ring;
    private final RingDriver driver;
    private final LoopWakeup wakeup;
    private final Arena memory;
    private final SlabBufferPool pool;
    private final boolean buffersRegistered;
    private final OpcodeSupport kernel;
    private final OpSlots slots;
    private final UringHandles handles;
    private final RingOperations operations;
    private final MpscUnboundedAtomicArrayQueue<Object> inbox = new MpscUnboundedAtomicArrayQueue<>(1024);
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final EarlyCompletions early = new EarlyCompletions();
    private final AtomicInteger producers = new AtomicInteger();
    private final AtomicLong remoteTokens = new AtomicLong();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final Thread ownThread;

    private volatile Thread loopThread;
    private volatile boolean closing;
    private volatile boolean done;
    private boolean enabled;
    private boolean closeRan;
    /** Loop: close timed out with ops still in the kernel; ring and memory stay until they complete. */
    private boolean lingering;
    private boolean turning;

    /**
     * Sets up everything but the thread; the ring is owned from now on (closed here if this fails).
     *
     * @param missingOpcodes for tests, opcodes to treat as missing; empty otherwise
     */
    UringLoop(AioConfig config, Ring ring, int... missingOpcodes) {
        this.config = config;
        this.ring = ring;
        this.memory = Arena.ofShared();
        boolean ok = false;
        LoopWakeup w = null;
        try {
            this.kernel = new OpcodeSupport(OpcodeSupport.probe(ring), missingOpcodes);
            this.pool = new SlabBufferPool(memory, config.bufferCount(), config.bufferSize());
            this.buffersRegistered = kernel.has(UringLayout.OP_READ_FIXED) && kernel.has(UringLayout.OP_WRITE_FIXED)
                    && registerBuffers();
            this.slots = new OpSlots(memory, config.queueDepth());
            this.handles = new UringHandles(this, slots);
            this.driver = new RingDriver(this, ring, memory);
            w = new LoopWakeup(this, ring, memory, config.threading() == AioConfig.Threading.HOST_DRIVEN);
            this.wakeup = w;
            // The cap is stored in the ring and applied to the io-wq of the task that first submits (the loop).
            limitKernelWorkers(config.maxKernelWorkers());
            this.operations = new RingOperations(this, slots, handles, kernel, pool, buffersRegistered, memory);
            if (config.threading() == AioConfig.Threading.OWN_THREAD) {
                String name = config.threadName() != null ? config.threadName()
                        : "aioops-uring-" + THREADS.incrementAndGet();
                this.ownThread = new Thread(this::runLoop, name);
                this.ownThread.setDaemon(config.daemon());
            } else {
                this.ownThread = null;
            }
            ok = true;
        } finally {
            if (!ok) {
                if (w != null) {
                    w.close();
                }
                ring.close();
                memory.close();
            }
        }
    }

    /**
     * Starts the loop: its own thread, waiting until the ring is enabled, or for a host-driven instance, makes
     * producers signal until the host first drives it.
     *
     * @throws RuntimeException what enabling the ring threw; the instance is closed then
     */
    void start() {
        if (ownThread != null) {
            loopThread = ownThread;
            ownThread.start();
            try {
                started.join();
            } catch (java.util.concurrent.CompletionException e) {
                close();
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        } else {
            // Until the host first drives the loop, producers must write the wake-up eventfd: its read, armed by
            // the first runOnce, then completes at once and signals the notification fd.
            wakeup.prepareSleep();
        }
    }

    private boolean registerBuffers() {
        if (pool.capacity() == 0) {
            return false;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(UringLayout.IOVEC_SIZE, 8);
            iov.set(JAVA_LONG, 0, pool.slab().address());
            iov.set(JAVA_LONG, 8, pool.slab().byteSize());
            int r = ring.register(UringLayout.REGISTER_BUFFERS, iov, 1);
            if (r < 0) {
                LOG.log(System.Logger.Level.INFO, UringAvailability.unregisteredBuffers(-r, pool.slab().byteSize()));
            }
            return r >= 0;
        }
    }

    // =============================================================================================== loop

    private void runLoop() {
        try {
            try {
                enable();
                started.complete(null);
            } catch (Throwable t) {
                started.completeExceptionally(t);
                throw t;
            }
            while (!closing) {
                turn(-1);
            }
        } catch (Throwable t) {
            report(t);
        } finally {
            closing = true;
            runClose();
            // close() has returned: this thread stays until the kernel gives back what it still holds.
            while (lingering) {
                try {
                    linger(-1);
                } catch (Throwable t) {
                    report(t);
                }
            }
        }
    }

    /** Loop: the ring becomes ours (SINGLE_ISSUER binds it to the enabling thread) and the wake read is armed. */
    private void enable() {
        if (enabled) {
            return;
        }
        enabled = true;
        if ((ring.setupFlags() & UringLayout.SETUP_R_DISABLED) != 0) {
            int r = ring.register(UringLayout.REGISTER_ENABLE_RINGS, MemorySegment.NULL, 0);
            if (r < 0) {
                throw new UringException(-r, "io_uring_register(ENABLE_RINGS)");
            }
        }
        wakeup.arm();
        // The first submission gives the loop thread its io_uring task context; a host thread may have had one
        // before (other rings), which the limit registered at open would not reach: register it again from here.
        driver.enter(0, 0);
        limitKernelWorkers(config.maxKernelWorkers());
    }

    /**
     * Caps the kernel's io-wq workers of both classes ({@code IORING_REGISTER_IOWQ_MAX_WORKERS}).
     *
     * @param max the cap, or 0 to leave it unchanged
     * @return the caps before the call, bounded then unbounded; {-1, -1} if the kernel refused
     */
    int[] limitKernelWorkers(int max) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment workers = a.allocate(JAVA_INT, 2);
            workers.set(JAVA_INT, 0, max);
            workers.set(JAVA_INT, 4, max);
            if (ring.register(UringLayout.REGISTER_IOWQ_MAX_WORKERS, workers, 2) < 0) {
                return new int[]{-1, -1};
            }
            return new int[]{workers.get(JAVA_INT, 0), workers.get(JAVA_INT, 4)};
        }
    }

    /**
     * One loop turn.
     *
     * @param timeoutNanos how long to sleep when nothing is ready: negative without limit, 0 not at all
     * @return completions and tasks run
     */
    private int turn(long timeoutNanos) {
        int n = drainInbox();
        n += runTasks();
        n += driver.reap();
        if (done) {
            return n; // a completion or task closed the instance: the ring is gone
        }
        boolean sleep = n == 0 && timeoutNanos != 0 && !closing;
        if (sleep) {
            wakeup.prepareSleep();
            if (!inbox.isEmpty() || !tasks.isEmpty() || !early.isEmpty()) {
                wakeup.cancelSleep();
                sleep = false;
            }
        }
        if (!sleep) {
            driver.enter(0, 0);
            return done ? n : n + driver.reap();
        }
        driver.enter(1, timeoutNanos);
        wakeup.awake();
        // Woken by a completion, or by another thread's message: run whatever woke us before returning.
        n += driver.reap();
        if (!done) {
            n += drainInbox();
        }
        if (!done) {
            n += runTasks();
        }
        return n;
    }

    /** Runs what other threads sent, at most {@link #INBOX_BATCH} messages a turn so that I/O is not starved. */
    int drainInbox() {
        int n = 0;
        Object message;
        while (!done && n < INBOX_BATCH && (message = inbox.relaxedPoll()) != null) {
            n++;
            switch (message) {
                case Runnable task -> runTask(task);
                case RemoteRequest request -> request.replay(this);
                case CancelRequest cancel -> operations.cancel(cancel.token());
                default -> throw new IllegalStateException("unexpected message " + message);
            }
        }
        return n;
    }

    /**
     * Runs the early completions and the loop's own tasks queued before this call; those they queue wait for the
     * next turn.
     */
    int runTasks() {
        int n = early.runQueued(this);
        for (int queued = tasks.size(), i = 0; i < queued && !done; i++, n++) {
            runTask(tasks.poll());
        }
        return n;
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            report(t);
        }
    }

    void report(Throwable t) {
        try {
            config.errorHandler().accept(t);
        } catch (Throwable ignored) {
            // The handler must not throw; if it does, the loop still carries on.
        }
    }

    /** Loop: runs a completion; what it throws goes to the error handler. */
    void invoke(AioCompletion<Object> completion, int result, Object attachment) {
        try {
            completion.completed(result, attachment);
        } catch (Throwable t) {
            report(t);
        }
    }

    /** Loop: completes an op that never reached the kernel from the turn, never inside the submitting call. */
    void completeLater(AioCompletion<Object> completion, int result, Object attachment) {
        early.add(completion, result, attachment);
        wakeup.localWorkQueued();
    }

    // =============================================================================================== completion

    /**
     * Loop: routes one completion by its user_data ({@link UserData}).
     *
     * @return 1 if an operation's completion ran, else 0
     */
    int complete(long ud, int res, int cqeFlags) {
        if (UserData.isOperation(ud)) {
            return operations.complete(ud, res, cqeFlags);
        }
        if (ud == UserData.WAKE) {
            wakeup.readCompleted();
        } else if (ud == UserData.TIMER) {
            driver.timerCompleted();
        } else if (ud == UserData.CANCEL_ALL) {
            handles.cancelAllCompleted(res);
        } else if (UserData.isCancelFd(ud)) {
            handles.cancelFdCompleted(UserData.fdOfCancel(ud), res);
        }
        return 0;
    }

    // =============================================================================================== submission

    /** Loop: whether close has finished (the ring is gone). */
    boolean isDone() {
        return done;
    }

    /** Any thread: whether close has begun. */
    boolean isClosing() {
        return closing;
    }

    /** Any thread: whether the caller is the loop thread. */
    boolean onLoop() {
        return Thread.currentThread() == loopThread;
    }

    /** Any thread but the loop: hands a submission to the loop; returns the token its submitter gets. */
    long enqueue(RemoteRequest request) {
        request.token = REMOTE_TOKEN | remoteTokens.incrementAndGet();
        post(request, true);
        return request.token;
    }

    /**
     * Any thread but the loop: hands a message to the loop and wakes it if it sleeps. The producer count keeps
     * close from freeing the inbox's consumer or the wake-up eventfd while a producer is still using them.
     *
     * @param strict throw if closed (submissions, tasks), else drop the message silently (cancels)
     */
    void post(Object message, boolean strict) {
        producers.incrementAndGet();
        try {
            if (closing) {
                if (strict) {
                    throw Checks.closed("uring");
                }
                return;
            }
            inbox.offer(message);
            wakeup.wake();
        } finally {
            producers.decrementAndGet();
        }
    }

    /** Spins briefly, then yields: the thread waited for may have been preempted on a busy machine. */
    static void backOff(int spins) {
        if (spins < 100) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /**
     * Host-driven: one turn on the calling thread, which becomes the loop thread on the first call.
     *
     * @param timeoutNanos how long to wait when nothing is ready: negative without limit, 0 not at all
     * @return completions and tasks run
     */
    int runOnce(long timeoutNanos) {
        if (ownThread != null) {
            throw new IllegalStateException("this uring AioOperations runs on its own thread; runOnce is for "
                    + "instances opened with Threading.HOST_DRIVEN");
        }
        Thread me = Thread.currentThread();
        Thread driver = loopThread;
        if (driver == null) {
            synchronized (this) {
                if (loopThread == null && !closing) {
                    loopThread = me;
                }
                driver = loopThread;
            }
        }
        if (driver != me) {
            throw closing ? Checks.closed("uring") : new IllegalStateException("this uring AioOperations is "
                    + "driven by thread " + driver + "; runOnce must always be called from that thread");
        }
        if (lingering && !turning) {
            return linger(timeoutNanos);
        }
        if (closing) {
            throw Checks.closed("uring");
        }
        if (turning) {
            throw new IllegalStateException("runOnce must not be called from a completion or task of the loop it "
                    + "drives");
        }
        enable();
        wakeup.awake();
        wakeup.closeGap();
        int n;
        turning = true;
        try {
            n = turn(timeoutNanos);
        } finally {
            turning = false;
        }
        if (done) {
            return n;
        }
        // Between calls the host sleeps in its own loop: producers must signal (and so wake the notification fd).
        wakeup.prepareSleep();
        if (!inbox.isEmpty()) {
            wakeup.wake();
        }
        wakeup.openGap();
        if (!tasks.isEmpty() || !early.isEmpty()) {
            wakeup.signalGap(); // queued by this turn's completions and tasks for the next turn
        }
        return n;
    }

    /** The configuration. */
    AioConfig config() {
        return config;
    }

    /** Loop: the errno capture segment of the loop thread. */
    MemorySegment errnoState() {
        return ring.errnoState();
    }

    /** Loop: the ring's queues. */
    RingDriver driver() {
        return driver;
    }

    /** The wake-up and notification eventfds. */
    LoopWakeup wakeup() {
        return wakeup;
    }

    /** Any thread: the notification eventfd of a host-driven instance, or -1. */
    int notificationFd() {
        return wakeup.notificationFd();
    }

    /** Loop: queues a task of the loop's own thread for this turn's end. */
    void executeOnLoop(Runnable task) {
        tasks.add(task);
        wakeup.localWorkQueued();
    }

    /** Any thread: the registered buffer pool. */
    SlabBufferPool pool() {
        return pool;
    }

    /** Whether the pool is registered with the ring (used with the {@code *_FIXED} opcodes). */
    boolean buffersRegistered() {
        return buffersRegistered;
    }

    /** Any thread: the table of handles. */
    FdTable fds() {
        return handles.table();
    }

    /** Loop: the operations as ring requests. */
    RingOperations operations() {
        return operations;
    }

    // =============================================================================================== close

    /** Any thread: closes the instance (see {@link UringAioOperations#close()}); idempotent. */
    void close() {
        if (done) {
            return;
        }
        if (onLoop()) {
            closing = true;
            runClose();
            return;
        }
        if (ownThread == null) {
            synchronized (this) {
                if (loopThread == null) {
                    loopThread = Thread.currentThread();
                }
            }
            if (loopThread != Thread.currentThread()) {
                if (done) {
                    return;
                }
                throw new IllegalStateException("a host-driven uring AioOperations is closed by the thread that "
                        + "drives it (" + loopThread + ")");
            }
            closing = true;
            runClose();
            return;
        }
        producers.incrementAndGet();
        try {
            // Only a closer that saw the instance open may touch the wake-up eventfd: the loop waits for it.
            if (!closing) {
                closing = true;
                wakeup.wakeForClose();
            }
        } finally {
            producers.decrementAndGet();
        }
        try {
            long wait = config.closeTimeout().toMillis() + 10_000;
            if (!terminated.await(wait, TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.ERROR, "the uring loop thread did not finish closing in " + wait
                        + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Loop: the whole of close. Idempotent; completions that call close() during it return at once. When the
     * kernel still holds operations after closeTimeout, they stay pending ({@link #linger}): close() returns, the
     * ring and memory stay until their completions have run, and only then {@link #free()} runs.
     */
    private void runClose() {
        if (closeRan) {
            return;
        }
        closeRan = true;
        try {
            for (int spins = 0; producers.get() != 0; spins++) {
                backOff(spins); // a producer that saw the instance open is finishing its enqueue
            }
            wakeup.closeGap();
            while (drainInbox() + runTasks() > 0) {
                // submissions queued before close complete with -ECANCELED; queued tasks run
            }
            lingering = enabled && handles.cancelAndWait();
            while (runTasks() > 0) {
                // early completions and tasks queued by the last completions
            }
            handles.closeIdle();
            if (!lingering) {
                free();
            }
        } finally {
            terminated.countDown();
        }
    }

    /**
     * Loop, after a close that timed out: one wait for the stuck ops' completions, run each once.
     *
     * @return completions run
     */
    private int linger(long timeoutNanos) {
        driver.enter(timeoutNanos == 0 ? 0 : 1, timeoutNanos < 0 ? 100_000_000L : timeoutNanos);
        int n = driver.reap();
        n += runTasks();
        if (slots.inFlight() == 0 && !wakeup.isArmed()) {
            handles.closeIdle();
            free();
        }
        return n;
    }

    /** Loop: frees the ring, its descriptors and its memory once the kernel holds none of it. */
    private void free() {
        try {
            if (buffersRegistered) {
                ring.register(UringLayout.UNREGISTER_BUFFERS, MemorySegment.NULL, 0);
            }
            wakeup.unregister(ring);
            ring.close();
            wakeup.close();
            early.clear();
            try {
                memory.close();
            } catch (IllegalStateException stillInUse) {
                // A thread is inside a native call with a pool buffer: leak the slab rather than free it.
                LEAKED.add(memory);
                LOG.log(System.Logger.Level.WARNING, "uring: buffer memory still in use by a native call at "
                        + "close; leaked rather than freed", stillInUse);
            }
        } finally {
            lingering = false;
            done = true;
        }
    }

    /** For tests: waits with a timer op rather than a timeout argument, as on kernels before 5.11. */
    void pretendNoExtArg() {
        driver.pretendNoExtArg();
    }

    /**
     * For tests, on the loop: close will not cancel the op of {@code token} (as if the kernel could not cancel it in
     * time), and cancels the others one at a time.
     */
    void pretendUncancellable(long token) {
        handles.pretendUncancellable(operations.slotOf(token));
    }

    /** For tests: cancels one op at a time, as on kernels before 5.19. */
    void pretendNoCancelKeys() {
        handles.pretendNoCancelKeys();
    }

    /** Loop, for tests: how often the kernel's CQ overflow list had to be flushed. */
    long overflowFlushes() {
        return driver.overflowFlushes();
    }
}
