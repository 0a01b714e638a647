package dev.aioops.epoll.internal;

import dev.aioops.spi.AioCloseTimeoutException;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.ErrnoMapping;
import dev.aioops.spi.internal.LoopCounters;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The loop of one epoll instance, as Netty's {@code IoHandler} with its event loop: the {@link Selector}, the
 * {@link Inbox} of work from other threads, the tasks of {@code execute}, the wait bounded by the next timeout, the
 * thread that runs it, and the close protocol, which it drives.
 *
 * <p><b>Thread.</b> Everything here runs on the loop thread ({@link LoopThread}), one at a time: the thread of
 * {@link AioConfig.Threading#OWN_THREAD}, which {@link #start()} starts; or, host-driven, the first thread that
 * calls {@link #runOnce} or {@link #close}, which keeps the loop from then on. The methods that say "any thread"
 * hand work from elsewhere to the inbox; file-pool threads return their operations through it too, so completions
 * never run on a pool thread (but for {@link FileStragglers stragglers} after close).
 *
 * <p><b>Owns</b> the selector, the inbox, the task queue and every loop-confined part it builds: the
 * {@link CompletionQueue}, the drivers ({@link SocketDriver}, {@link FileDriver} with its pool,
 * {@link EventfdDriver}, {@link TimeoutDriver}), the {@link OpRouter} that starts operations on them, the
 * {@link HandleCloser} and the {@link FileStragglers}. The {@link HandleTable} it is given (other threads look
 * handles up in it) and the buffer memory it frees last belong to the instance.
 *
 * <p><b>A turn</b>: take the inbox, run what is ready, wait for readiness, a timeout or a wake-up (not at all if
 * anything ran), handle the selected keys, take the inbox again, expire timeouts, run what became ready.
 *
 * <p><b>Closing</b>: the inbox refuses new work, submissions already admitted land, every handle is marked closed
 * and every pending operation withdrawn, the pool gets {@link AioConfig#closeTimeout()} for the system calls its
 * threads are in, then everything but the stragglers completes, every handle is closed, the remaining completions
 * and tasks run once, the selector closes, and the buffer memory is freed once no pool thread can still use it.
 */
final class EpollLoop {

    private static final System.Logger LOG = System.getLogger("dev.aioops.epoll");

    private final Consumer<Throwable> errorHandler;
    private final Selector selector;
    private final Inbox inbox;
    private final Runnable releaseMemory;
    private final LoopThread thread;
    private final Consumer<SelectionKey> onKey;

    // Loop-confined.
    private final CompletionQueue completions;
    private final FileDriver files;
    private final SendFileDriver sendFiles;
    private final EventfdDriver eventfds;
    private final TimeoutDriver timeouts;
    private final OpRouter router;
    private final HandleCloser closer;
    private final FileStragglers stragglers;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private boolean shuttingDown;
    private boolean done;
    /** Whether a host-driven turn is running, so that runOnce from inside it is refused. */
    private boolean turning;
    private volatile boolean closeRequested;

    /**
     * Opens the selector and builds the loop's parts; starts nothing.
     *
     * @param config        the configuration
     * @param instance      the instance's number, for thread names
     * @param handles       the instance's handle table
     * @param releaseMemory frees the buffer pool; run once no pool thread can still copy into it
     * @throws IOException if no selector can be opened
     */
    EpollLoop(AioConfig config, int instance, HandleTable handles, Runnable releaseMemory) throws IOException {
        this.errorHandler = config.errorHandler();
        this.selector = Selector.open();
        this.inbox = new Inbox(selector);
        this.releaseMemory = releaseMemory;
        this.completions = new CompletionQueue(this::report, inbox.counters);
        this.stragglers = new FileStragglers(this::report);
        this.files = new FileDriver(config.fileThreads(), config.daemon(), "aioops-epoll-" + instance + "-file-",
                handles, completions);
        SocketDriver sockets = new SocketDriver(selector, handles, completions, files, this::report);
        this.sendFiles = sockets.sendFiles();
        DatagramDriver datagrams = new DatagramDriver(selector, handles, completions, this::report);
        this.eventfds = new EventfdDriver(handles, completions);
        this.timeouts = new TimeoutDriver(completions);
        this.closer = new HandleCloser(handles, completions, files, sockets, eventfds, datagrams,
                config.closeTimeout());
        this.router = new OpRouter(handles, completions, files, sockets, eventfds, timeouts, closer, datagrams);
        this.onKey = key -> {
            if (key.attachment() instanceof DatagramResource d) {
                datagrams.onKey(key, d);
            } else {
                sockets.onKey(key);
            }
        };
        this.thread = new LoopThread(config, instance, this::run);
    }

    /** Starts the loop thread of {@link AioConfig.Threading#OWN_THREAD}; nothing when host-driven. */
    void start() {
        thread.start();
    }

    /** Any thread, racily: the counters behind {@code stats()}. */
    LoopCounters counters() {
        return inbox.counters;
    }

    /** Any thread: whether the caller is the loop thread. */
    boolean inLoop() {
        return thread.inLoop();
    }

    /**
     * Loop: a delivered operation to reuse, so that a submission on the loop allocates nothing.
     *
     * @return a reset operation, or null when none is spare
     */
    Op spareOp() {
        return completions.spare();
    }

    /**
     * Any thread: starts an operation, at once on the loop, else through the inbox.
     *
     * @param op a new operation
     * @throws IllegalStateException if the instance is closed
     */
    void submit(Op op) {
        if (inLoop()) {
            if (inbox.isClosed()) {
                throw Checks.closed("epoll");
            }
            start(op);
        } else {
            inbox.admit(op);
        }
    }

    /**
     * Loop: starts an operation. What its driver throws (a bug, memory running out) becomes the operation's
     * result: nobody may be waiting on the call (it came through the inbox), and an operation left pending would
     * complete only at close.
     */
    private void start(Op op) {
        try {
            router.start(op);
        } catch (RuntimeException | OutOfMemoryError e) {
            report(e);
            router.failed(op, ErrnoMapping.result(e));
        }
    }

    /**
     * Any thread: withdraws the pending operation of a token, if any; ignored once closed (close cancels all).
     *
     * @param token a positive token
     */
    void cancel(long token) {
        if (inLoop()) {
            completions.cancel(token);
        } else if (!inbox.isClosed()) {
            inbox.send(new CancelRequest(token));
        }
    }

    /**
     * Any thread: runs a task on the loop, after what is queued before it.
     *
     * @param task the task
     * @throws IllegalStateException if the instance is closed
     */
    void execute(Runnable task) {
        if (inLoop()) {
            if (inbox.isClosed()) {
                throw Checks.closed("epoll");
            }
            tasks.add(task);
        } else {
            inbox.admit(task);
        }
    }

    /**
     * Any thread: an eventfd's counter grew; its waiting reads get it on the loop.
     *
     * @param r the eventfd
     */
    void signalled(EventfdResource r) {
        if (inLoop()) {
            eventfds.deliver(r);
        } else if (r.notifyQueued.compareAndSet(false, true)) {
            // One message per burst: the loop clears the flag before it looks at the counter.
            inbox.send(r);
        }
    }

    /**
     * Pool thread: a file operation is done; the loop completes it (or, after close, this thread does).
     *
     * @param op the operation, its result set
     */
    void fromPool(Op op) {
        if (stragglers.handOver(op, inbox)) {
            inbox.wake();
        }
    }

    /**
     * Host thread: one turn of a host-driven loop.
     *
     * @param timeoutNanos the longest wait; negative for no limit
     * @return the number of completions and tasks run
     */
    int runOnce(long timeoutNanos) {
        if (!thread.hostDriven()) {
            throw new IllegalStateException("this epoll AioOperations runs on its own thread; open it with "
                    + "AioConfig.Threading.HOST_DRIVEN to drive it with runOnce");
        }
        thread.claim("runOnce");
        if (done || inbox.isClosed()) {
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

    /**
     * Any thread (host-driven: the driving thread): closes the loop and returns once it is closed. Idempotent.
     */
    void close() {
        if (thread.hostDriven()) {
            thread.claim("close");
            inbox.close();
            shutdown();
            return;
        }
        inbox.close();
        if (thread.inLoop()) {
            shutdown();
            return;
        }
        closeRequested = true;
        selector.wakeup();
        thread.awaitEnd();
    }

    // ------------------------------------------------------------------------------------------------ loop

    /** The body of the OWN_THREAD thread. */
    private void run() {
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
            inbox.close();
            shutdown();
            throw fatal;
        }
    }

    /**
     * One turn (see the class comment).
     *
     * @param timeoutNanos the longest wait; negative for no limit
     * @return the number of completions and tasks run
     */
    private int turn(long timeoutNanos) {
        inbox.counters.turn();
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
            if (waitNanos == 0 || !inbox.prepareSleep()) {
                selector.selectNow(onKey);
                return;
            }
            if (waitNanos < 0) {
                selector.select(onKey);
            } else {
                // Selector waits in whole milliseconds and 0 means forever: round up.
                selector.select(onKey, Math.max(1, (waitNanos + 999_999) / 1_000_000));
            }
            inbox.awake();
        } catch (IOException e) {
            inbox.awake();
            report(e);
        }
    }

    private void drainInbox() {
        Object message;
        while (!done && (message = inbox.poll()) != null) {
            switch (message) {
                case Op op when op.stage == Op.NEW -> {
                    if (shuttingDown) {
                        // Accepted before close() began, reaching the loop after: it completes, cancelled.
                        completions.started(op);
                        completions.finish(op, -AioErrno.ECANCELED);
                    } else {
                        start(op);
                    }
                }
                case Op op when op.kind == Op.SENDFILE -> sendFiles.stepDone(op);
                case Op op -> files.done(op, shuttingDown);
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

    // -------------------------------------------------------------------------------------------- closing

    /**
     * Loop (or the host thread, or the closing thread of a never-driven instance), after {@link Inbox#close()}:
     * completes everything once and frees what this instance holds. Idempotent.
     */
    private void shutdown() {
        if (shuttingDown) {
            return;
        }
        shuttingDown = true;
        try {
            // Submissions past the closed check land in the inbox; wait for their producers to leave.
            inbox.awaitProducers();
            drainInbox();
            closer.withdrawAll();
            stragglers.closing(this::finishClosing, releaseMemory);
        } finally {
            done = true;
            thread.ended();
        }
    }

    /**
     * The end of {@link #shutdown()}, once the pool had its time, holding the stragglers' lock so that none of
     * them completes meanwhile.
     *
     * @return how many stragglers stay pending
     */
    private int finishClosing() {
        stragglers.seal();
        // Pool threads now complete their own operations; take what they handed over before.
        drainInbox();
        AioCloseTimeoutException stuck = closer.closeAll();
        runReady();
        Quietly.close(selector);
        if (stuck == null) {
            return 0;
        }
        report(stuck);
        return stuck.stuck();
    }

    /** A cancel from another thread, carried to the loop. */
    private record CancelRequest(long token) {
    }
}
