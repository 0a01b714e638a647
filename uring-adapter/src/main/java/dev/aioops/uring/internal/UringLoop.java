package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.LoopCounters;
import dev.aioops.spi.internal.Observability;
import dev.aioops.spi.internal.WakeupGate;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The loop of one {@link UringAioOperations} (Netty's {@code IoHandler} to its {@code IoOps}): the thread (its own,
 * or the host's through {@link #runOnce}), the turn, the routing of each completion by its user_data, and the order
 * of close. It owns the pieces it runs: the ring's queues ({@link RingDriver}), the wake-up eventfds
 * ({@link LoopWakeup}), the inbox of other threads ({@link LoopInbox}), the operations ({@link RingOperations}), the
 * handles ({@link UringHandles}) and what the kernel may touch ({@link RingResources}).
 *
 * <p><b>Loop turn.</b> Drain the cross-thread inbox (submissions, tasks, cancels), run local tasks, reap the CQ
 * and run completions, then one {@code io_uring_enter} that submits everything queued in the turn and either
 * returns at once (more work is ready) or sleeps for at least one completion. A read of a private eventfd is
 * always pending so that other threads can wake the sleeping loop ({@link WakeupGate}: at most one eventfd write
 * per sleep). Operations that complete without reaching the kernel (early errors, listen, eventfd) complete from
 * the turn too, never inside the submitting call, so that chains of them run in bounded stack and in submission
 * order ({@link EarlyCompletions}).
 *
 * <p><b>Close</b> runs on the loop: submissions still in the inbox complete with {@code -ECANCELED}, the handle
 * table cancels and drains everything ({@link UringHandles#cancelAndWait}), and the resources are freed; when the
 * kernel still holds operations after closeTimeout, the loop lingers until their completions have run.
 *
 * <p><b>Threads.</b> Everything here runs on the loop thread except {@link #close()}, {@link #inbox()} and the
 * queries marked "any thread".
 */
final class UringLoop {

    private static final System.Logger LOG = System.getLogger("dev.aioops");
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final AioConfig config;
    private final RingResources resources;
    private final OpSlots slots;
    private final UringHandles handles;
    private final RingDriver driver;
    private final LoopWakeup wakeup;
    private final RingOperations operations;
    private final LoopInbox inbox = new LoopInbox(this);
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final EarlyCompletions early = new EarlyCompletions();
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
    /** This loop's place in a group whose members wake each other through their rings, or null. */
    private volatile RingMessenger.Member member;

    /**
     * Sets up everything but the thread; the ring is owned from now on (closed here if this fails).
     *
     * @param missingOpcodes for tests, opcodes to treat as missing; empty otherwise
     */
    UringLoop(AioConfig config, Ring ring, int... missingOpcodes) {
        this.config = config;
        boolean ok = false;
        RingResources r = null;
        LoopWakeup w = null;
        try {
            OpcodeSupport kernel = new OpcodeSupport(OpcodeSupport.probe(ring), missingOpcodes);
            r = new RingResources(ring, config, kernel);
            this.resources = r;
            this.slots = new OpSlots(r.memory(), config.queueDepth());
            this.handles = new UringHandles(this, slots);
            this.driver = new RingDriver(this, ring, r.memory());
            w = new LoopWakeup(this, ring, r.memory(), config.threading() == AioConfig.Threading.HOST_DRIVEN);
            this.wakeup = w;
            // The cap is stored in the ring and applied to the io-wq of the task that first submits (the loop).
            r.limitKernelWorkers(config.maxKernelWorkers());
            this.operations = new RingOperations(this, slots, handles, kernel, r.pool(), r.buffersRegistered(),
                    r.memory());
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
                if (r != null) {
                    r.abandon();
                } else {
                    ring.close();
                }
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
            } catch (CompletionException e) {
                close();
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        } else {
            // Until the host first drives the loop, producers must write the wake-up eventfd: its read, armed by
            // the first runOnce, then completes at once and signals the notification fd.
            wakeup.prepareSleep();
        }
    }

    // =============================================================================================== the turn

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
        slots.counters.bindLoopThread();
        resources.enable();
        driver.registerRingFd();
        wakeup.arm();
        // The first submission gives the loop thread its io_uring task context; a host thread may have had one
        // before (other rings), which the limit registered at open would not reach: register it again from here.
        driver.enter(0, 0);
        resources.limitKernelWorkers(config.maxKernelWorkers());
    }

    /**
     * One loop turn.
     *
     * @param timeoutNanos how long to sleep when nothing is ready: negative without limit, 0 not at all
     * @return completions and tasks run
     */
    private int turn(long timeoutNanos) {
        slots.counters.turn();
        int n = inbox.drain();
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
            n += inbox.drain();
        }
        if (!done) {
            n += runTasks();
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

    /** Loop: runs a task; what it throws goes to the error handler. */
    void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            report(t);
        }
    }

    /** Loop: hands what a completion or task threw to the error handler, which must not throw either. */
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
            slots.counters.completed();
            Observability.complete("uring", completion, result, attachment);
        } catch (Throwable t) {
            report(t);
        }
    }

    /** Loop: completes an op that never reached the kernel from the turn, never inside the submitting call. */
    void completeLater(AioCompletion<Object> completion, int result, Object attachment) {
        slots.counters.submitted();
        early.add(completion, result, attachment);
        wakeup.localWorkQueued();
    }

    /** Loop: queues a task of the loop's own thread for this turn's end. */
    void execute(Runnable task) {
        tasks.add(task);
        wakeup.localWorkQueued();
    }

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
        } else if (ud == UserData.MSG_WAKE) {
            wakeup.ringWakeReceived();
        } else if (UserData.isMessageSent(ud)) {
            member.messageFailed(UserData.targetOfMessage(ud), res);
        } else if (ud == UserData.DEADLINE) {
            operations.deadlines().timerCompleted();
        } else if (ud == UserData.TIMER) {
            driver.timerCompleted();
        } else if (ud == UserData.CANCEL_ALL) {
            handles.cancelAllCompleted(res);
        } else if (UserData.isCancelFd(ud)) {
            handles.cancelFdCompleted(UserData.handleOfCancel(ud), res);
        }
        return 0;
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
        Thread driving = loopThread;
        if (driving == null) {
            synchronized (this) {
                if (loopThread == null && !closing) {
                    loopThread = me;
                }
                driving = loopThread;
            }
        }
        if (driving != me) {
            throw closing ? Checks.closed("uring") : new IllegalStateException("this uring AioOperations is "
                    + "driven by thread " + driving + "; runOnce must always be called from that thread");
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

    // =============================================================================================== state

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

    /** Any thread: this loop's place in a group ({@link RingMessenger}), or null. */
    RingMessenger.Member member() {
        return member;
    }

    /** Joins a group's messenger; once, before the group is handed out. */
    void joinGroup(RingMessenger.Member m) {
        member = m;
    }

    /** Any thread: the configuration. */
    AioConfig config() {
        return config;
    }

    /** Loop: the errno capture segment of the loop thread. */
    MemorySegment errnoState() {
        return resources.ring().errnoState();
    }

    /** Any thread: how other threads reach the loop. */
    LoopInbox inbox() {
        return inbox;
    }

    /** Any thread, racily: the counters of {@link UringStats}. */
    LoopCounters counters() {
        return slots.counters;
    }

    /** Loop: the ring's queues. */
    RingDriver driver() {
        return driver;
    }

    /** The wake-up and notification eventfds. */
    LoopWakeup wakeup() {
        return wakeup;
    }

    /** Loop: the operations as ring requests. */
    RingOperations operations() {
        return operations;
    }

    /** The handle table (its {@link FdTable} may be read on any thread). */
    UringHandles handles() {
        return handles;
    }

    /** The ring, its memory, its pool (which any thread may use) and its registrations. */
    RingResources resources() {
        return resources;
    }

    /** Spins briefly, then yields: the thread waited for may have been preempted on a busy machine. */
    static void backOff(int spins) {
        if (spins < 100) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
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
        inbox.asProducer(() -> {
            // Only a closer that saw the instance open may touch the wake-up eventfd: the loop waits for it.
            if (!closing) {
                closing = true;
                wakeup.wakeForClose();
            }
        });
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
            inbox.awaitProducers();
            wakeup.closeGap();
            while (inbox.drain() + runTasks() > 0) {
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
            early.clear();
            resources.free(wakeup);
        } finally {
            lingering = false;
            done = true;
        }
    }
}
