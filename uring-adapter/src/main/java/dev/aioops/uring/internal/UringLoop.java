package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.SlabBufferPool;
import dev.aioops.spi.internal.WakeupGate;
import dev.aioops.uring.ring.LibC;
import dev.aioops.uring.ring.OpenFlags;
import dev.aioops.uring.ring.Sockaddrs;
import dev.aioops.uring.ring.Sockets;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
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
    private static final int MAX_TRANSFER = 0x7fff_f000;
    private static final int INBOX_BATCH = 4096;
    private static final int LISTEN_GOES_ON = Integer.MIN_VALUE;

    private final AioConfig config;
    private final Ring ring;
    private final MemorySegment sqes;
    private final RingDriver driver;
    private final LoopWakeup wakeup;
    private final Arena memory;
    private final SlabBufferPool pool;
    private final boolean buffersRegistered;
    private final boolean[] supported;
    private final OpSlots slots;
    private final UringHandles handles;
    private final FdTable fds;
    private final MpscUnboundedAtomicArrayQueue<Object> inbox = new MpscUnboundedAtomicArrayQueue<>(1024);
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final EarlyCompletions early = new EarlyCompletions();
    private final AtomicInteger producers = new AtomicInteger();
    private final AtomicLong remoteTokens = new AtomicLong();
    private final Map<Long, Integer> remoteSlots = new HashMap<>();
    private final MemorySegment socketScratch;
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
    private long syncTokens;

    UringLoop(AioConfig config, Ring ring) {
        this.config = config;
        this.ring = ring;
        this.sqes = ring.sqes();
        this.memory = Arena.ofShared();
        boolean ok = false;
        LoopWakeup w = null;
        try {
            this.supported = ring.probe();
            this.pool = new SlabBufferPool(memory, config.bufferCount(), config.bufferSize());
            this.buffersRegistered = supported[UringLayout.OP_READ_FIXED] && supported[UringLayout.OP_WRITE_FIXED]
                    && registerBuffers();
            this.slots = new OpSlots(memory, config.queueDepth());
            this.handles = new UringHandles(this, slots);
            this.fds = handles.table();
            this.driver = new RingDriver(this, ring, memory);
            w = new LoopWakeup(this, ring, memory, config.threading() == AioConfig.Threading.HOST_DRIVEN);
            this.wakeup = w;
            // The cap is stored in the ring and applied to the io-wq of the task that first submits (the loop).
            limitKernelWorkers(config.maxKernelWorkers());
            this.socketScratch = memory.allocate(64, 8);
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
                case RemoteRequest request -> request.submit(this);
                case CancelRequest cancel -> cancelOnLoop(cancel.token());
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

    static void invoke(AioCompletion<Object> completion, int result, Object attachment, UringLoop self) {
        try {
            completion.completed(result, attachment);
        } catch (Throwable t) {
            self.report(t);
        }
    }

    // =============================================================================================== completion

    /**
     * Loop: routes one completion by its user_data ({@link UserData}).
     *
     * @return 1 if an operation's completion ran, else 0
     */
    int complete(long ud, int res, int cqeFlags) {
        if (UserData.isOperation(ud)) {
            return completeOp(ud, res, cqeFlags);
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

    private int completeOp(long ud, int res, int cqeFlags) {
        int s = slots.slotOf(ud);
        if (s < 0) {
            return 0;
        }
        byte kind = slots.kind[s];
        if (kind == OpSlots.LISTEN && (res = listenStep(s, res)) == LISTEN_GOES_ON) {
            return 0;
        }
        int fd = slots.fd[s];
        int aux = slots.aux[s];
        Object attachment = slots.attachment[s];
        AioCompletion<Object> completion = slots.completion[s];
        Object keep = slots.keep[s];
        long remote = slots.remoteToken[s];
        boolean cancelled = slots.cancelled[s];
        slots.free(s);
        if (remote != 0) {
            remoteSlots.remove(remote);
        }
        int result = res;
        switch (kind) {
            case OpSlots.TIMEOUT -> result = res == -AioErrno.ETIME ? 0 : res;
            case OpSlots.OPEN -> {
                ((Arena) keep).close();
                if (res >= 0) {
                    fds.put(res, FdTable.FILE);
                }
            }
            case OpSlots.ACCEPT -> {
                if (res >= 0) {
                    noDelay(res);
                    fds.put(res, FdTable.SOCKET);
                }
            }
            case OpSlots.CONNECT -> {
                if (res >= 0) {
                    noDelay(aux);
                    fds.put(aux, FdTable.SOCKET);
                    result = aux;
                } else {
                    LibC.close(aux);
                }
            }
            default -> {
            }
        }
        FdTable.Entry entry = fd >= 0 ? fds.get(fd) : null;
        if (entry != null) {
            entry.inflight--;
            if (kind == OpSlots.READ) {
                entry.drained = res > 0 && (cqeFlags & UringLayout.CQE_F_SOCK_NONEMPTY) == 0;
            }
        }
        if (closing && result <= 0 && entry != null && entry.kind != FdTable.FILE && entry.kind != FdTable.EVENTFD) {
            result = -AioErrno.ECANCELED; // woken by the shutdown of wakePolled(): it moved no data
        } else if (result == -AioErrno.EINTR && (cancelled || closing || entry != null && entry.closing)) {
            result = -AioErrno.ECANCELED; // an io-wq worker interrupted by the cancellation
        }
        invoke(completion, result, attachment, this);
        if (entry != null) {
            handles.opCompleted(entry);
        }
        return 1;
    }

    private void noDelay(int socket) {
        Sockets.noDelay(ring.errnoState(), socketScratch, socket);
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

    /** Completes an op that never reached the kernel, on the loop, from the turn (never inside the call). */
    private long completeNow(int result, Object attachment, AioCompletion<Object> completion, long remote) {
        early.add(completion, result, attachment);
        wakeup.localWorkQueued();
        return remote != 0 ? remote : nextSyncToken();
    }

    private long nextSyncToken() {
        syncTokens = (syncTokens + 1) & 0x7fff_ffffL;
        if (syncTokens == 0) {
            syncTokens = 1;
        }
        return syncTokens;
    }

    private long track(int s, long remote) {
        if (remote != 0) {
            slots.remoteToken[s] = remote;
            remoteSlots.put(remote, s);
            return remote;
        }
        return slots.token(s);
    }

    /** Loop: a read or write. */
    long submitTransfer(boolean write, int handle, MemorySegment buffer, long offset, Object attachment,
                        AioCompletion<Object> completion, long remote) {
        FdTable.Entry e = fds.get(handle);
        if (e == null || e.closing) {
            return completeNow(-AioErrno.EBADF, attachment, completion, remote);
        }
        if (!buffer.scope().isAlive()) {
            return completeNow(-AioErrno.EFAULT, attachment, completion, remote);
        }
        boolean stream = e.kind != FdTable.FILE;
        if (stream && offset != AioOperations.STREAM) {
            return completeNow(-AioErrno.ESPIPE, attachment, completion, remote);
        }
        int length = (int) Math.min(buffer.byteSize(), MAX_TRANSFER);
        int s = slots.alloc(write ? OpSlots.WRITE : OpSlots.READ, handle, attachment, completion, buffer);
        e.inflight++;
        long ud = slots.token(s);
        long at = driver.sqe();
        boolean socket = e.kind == FdTable.SOCKET || e.kind == FdTable.LISTENER;
        if (socket && supported[write ? UringLayout.OP_SEND : UringLayout.OP_RECV]) {
            if (write) {
                SqeEncoder.send(sqes, at, handle, buffer.address(), length, ud);
            } else if (e.drained && supported[UringLayout.OP_SOCKET]) {
                // The last recv emptied the socket: in request/response traffic the next message is rarely there
                // yet, so arm poll first rather than fail a receive with EAGAIN first (half the recv calls of a
                // ping-pong). The flag came in Linux 5.19 with OP_SOCKET, which the probe shows; older kernels
                // would refuse it with EINVAL.
                SqeEncoder.recvPollFirst(sqes, at, handle, buffer.address(), length, ud);
            } else {
                SqeEncoder.recv(sqes, at, handle, buffer.address(), length, ud);
            }
        } else {
            // Without SEND/RECV (before 5.6) sockets take READ/WRITE too; a gone peer may then raise SIGPIPE,
            // which the JVM ignores.
            int bufIndex = buffersRegistered && pool.contains(buffer) ? 0 : -1;
            long position = stream ? 0 : offset;
            if (write) {
                SqeEncoder.write(sqes, at, handle, buffer.address(), length, position, bufIndex, ud);
            } else {
                SqeEncoder.read(sqes, at, handle, buffer.address(), length, position, bufIndex, ud);
            }
        }
        return track(s, remote);
    }

    long submitFsync(int handle, Object attachment, AioCompletion<Object> completion, long remote) {
        FdTable.Entry e = fds.get(handle);
        if (e == null || e.closing) {
            return completeNow(-AioErrno.EBADF, attachment, completion, remote);
        }
        if (!supported[UringLayout.OP_FSYNC]) {
            return completeNow(-AioErrno.EOPNOTSUPP, attachment, completion, remote);
        }
        int s = slots.alloc(OpSlots.FSYNC, handle, attachment, completion, null);
        e.inflight++;
        SqeEncoder.fsync(sqes, driver.sqe(), handle, 0, slots.token(s));
        return track(s, remote);
    }

    long submitOpen(Path path, Set<AioOpenOption> options, Object attachment, AioCompletion<Object> completion,
                    long remote) {
        if (!supported[UringLayout.OP_OPENAT]) {
            return completeNow(-AioErrno.EOPNOTSUPP, attachment, completion, remote);
        }
        byte[] name = path.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8);
        Arena arena = Arena.ofConfined();
        MemorySegment cPath = arena.allocate(name.length + 1L);
        MemorySegment.copy(name, 0, cPath, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, name.length);
        int s = slots.alloc(OpSlots.OPEN, -1, attachment, completion, arena);
        SqeEncoder.openat(sqes, driver.sqe(), UringLayout.AT_FDCWD, cPath.address(), OpenFlags.of(options), 0666,
                slots.token(s));
        return track(s, remote);
    }

    long submitListen(InetSocketAddress address, int backlog, Object attachment, AioCompletion<Object> completion,
                      long remote) {
        if (!ListenSteps.supported(supported)) {
            // Before Linux 6.11: socket, bind and listen as system calls on the loop (none of them waits).
            int fd = Sockets.listen(ring.errnoState(), socketScratch, address, backlog);
            if (fd >= 0) {
                fds.put(fd, FdTable.LISTENER).localAddress = boundAddress(fd);
            }
            return completeNow(fd, attachment, completion, remote);
        }
        int s = slots.alloc(OpSlots.LISTEN, -1, attachment, completion, new ListenSteps(address, backlog));
        SqeEncoder.socket(sqes, driver.sqe(), Sockets.family(address), UringLayout.SOCK_STREAM | UringLayout.SOCK_CLOEXEC, 0,
                slots.token(s));
        return track(s, remote);
    }

    /**
     * Loop: the next step of a listen by the ring, after the CQE {@code res} of the previous one.
     *
     * @return the listen's result, or {@link #LISTEN_GOES_ON} when the next step was submitted under the same slot
     */
    private int listenStep(int s, int res) {
        ListenSteps l = (ListenSteps) slots.keep[s];
        if (res < 0 || closing || slots.cancelled[s]) {
            if (res >= 0 && l.stage == 0) {
                l.fd = res;
            }
            if (l.fd >= 0) {
                LibC.close(l.fd);
            }
            return res < 0 ? res : -AioErrno.ECANCELED;
        }
        switch (l.stage++) {
            case 0 -> {
                l.fd = res;
                // No ring opcode before URING_CMD setsockopt (6.7); a plain option set, which never waits.
                LibC.setsockoptInt(ring.errnoState(), l.fd, UringLayout.SOL_SOCKET, UringLayout.SO_REUSEADDR,
                        socketScratch, 1);
                MemorySegment scratch = slots.scratchChunk(s);
                long at = slots.scratchOffset(s);
                int length = Sockaddrs.encode(l.address, scratch, at);
                SqeEncoder.bind(sqes, driver.sqe(), l.fd, scratch.address() + at, length, slots.token(s));
            }
            case 1 -> SqeEncoder.listen(sqes, driver.sqe(), l.fd, l.backlog, slots.token(s));
            default -> {
                fds.put(l.fd, FdTable.LISTENER).localAddress = boundAddress(l.fd);
                return l.fd;
            }
        }
        return LISTEN_GOES_ON;
    }

    /** Loop, once per listener: its bound address (port 0 resolved), or null if the kernel cannot say. */
    private static InetSocketAddress boundAddress(int fd) {
        try {
            return Sockets.localAddress(fd);
        } catch (IOException e) {
            return null;
        }
    }

    long submitAccept(int handle, Object attachment, AioCompletion<Object> completion, long remote) {
        FdTable.Entry e = fds.get(handle);
        if (e == null || e.closing) {
            return completeNow(-AioErrno.EBADF, attachment, completion, remote);
        }
        if (!supported[UringLayout.OP_ACCEPT]) {
            return completeNow(-AioErrno.EOPNOTSUPP, attachment, completion, remote);
        }
        int s = slots.alloc(OpSlots.ACCEPT, handle, attachment, completion, null);
        e.inflight++;
        SqeEncoder.accept(sqes, driver.sqe(), handle, 0, 0, UringLayout.SOCK_CLOEXEC, slots.token(s));
        return track(s, remote);
    }

    long submitConnect(InetSocketAddress address, Object attachment, AioCompletion<Object> completion,
                       long remote) {
        if (!supported[UringLayout.OP_CONNECT]) {
            return completeNow(-AioErrno.EOPNOTSUPP, attachment, completion, remote);
        }
        int fd = Sockets.stream(ring.errnoState(), address);
        if (fd < 0) {
            return completeNow(fd, attachment, completion, remote);
        }
        int s = slots.alloc(OpSlots.CONNECT, -1, attachment, completion, null);
        slots.aux[s] = fd;
        MemorySegment scratch = slots.scratchChunk(s);
        long at = slots.scratchOffset(s);
        int length = Sockaddrs.encode(address, scratch, at);
        SqeEncoder.connect(sqes, driver.sqe(), fd, scratch.address() + at, length, slots.token(s));
        return track(s, remote);
    }

    long submitEventfd(long initialValue, Object attachment, AioCompletion<Object> completion, long remote) {
        int fd = LibC.eventfd(ring.errnoState(), (int) initialValue,
                UringLayout.EFD_CLOEXEC | UringLayout.EFD_NONBLOCK);
        if (fd >= 0) {
            fds.put(fd, FdTable.EVENTFD);
        }
        return completeNow(fd, attachment, completion, remote);
    }

    long submitTimeout(long nanos, Object attachment, AioCompletion<Object> completion, long remote) {
        int s = slots.alloc(OpSlots.TIMEOUT, -1, attachment, completion, null);
        if (nanos == 0) {
            // A NOP completes with 0 during the submission, in SQ order: a zero timeout without an hrtimer, which
            // (with DEFER_TASKRUN) costs a timer interrupt and a wake-up of ~20 µs per round trip.
            SqeEncoder.nop(sqes, driver.sqe(), slots.token(s));
            return track(s, remote);
        }
        MemorySegment scratch = slots.scratchChunk(s);
        long at = slots.scratchOffset(s);
        scratch.set(JAVA_LONG, at, nanos / 1_000_000_000L);
        scratch.set(JAVA_LONG, at + 8, nanos % 1_000_000_000L);
        SqeEncoder.timeout(sqes, driver.sqe(), scratch.address() + at, 0, slots.token(s));
        return track(s, remote);
    }

    long submitClose(int handle, Object attachment, AioCompletion<Object> completion, long remote) {
        FdTable.Entry e = fds.get(handle);
        if (e == null || e.closing) {
            return completeNow(-AioErrno.EBADF, attachment, completion, remote);
        }
        int s = slots.alloc(OpSlots.CLOSE, -1, attachment, completion, null);
        long token = track(s, remote);
        handles.close(e, s);
        return token;
    }

    /** Loop: completes the op in slot {@code s}, which has no CQE of its own (a handle's close), and frees it. */
    void completeSlot(int s, int result) {
        Object attachment = slots.attachment[s];
        AioCompletion<Object> completion = slots.completion[s];
        long remote = slots.remoteToken[s];
        slots.free(s);
        if (remote != 0) {
            remoteSlots.remove(remote);
        }
        invoke(completion, result, attachment, this);
    }

    /** Spins briefly, then yields: the thread waited for may have been preempted on a busy machine. */
    static void backOff(int spins) {
        if (spins < 100) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    void cancelOnLoop(long token) {
        int s;
        if (token < 0) {
            Integer slot = remoteSlots.get(token);
            s = slot == null ? -1 : slot;
        } else {
            s = slots.slotOf(token);
        }
        if (s < 0 || slots.kind[s] == OpSlots.CLOSE) {
            return;
        }
        slots.cancelled[s] = true;
        SqeEncoder.cancel(sqes, driver.sqe(), slots.token(s), UserData.IGNORE);
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
        return fds;
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
        Integer remote = token < 0 ? remoteSlots.get(token) : null;
        handles.pretendUncancellable(token < 0 ? (remote == null ? -1 : remote) : slots.slotOf(token));
    }

    /** For tests: cancels one op at a time, as on kernels before 5.19. */
    void pretendNoCancelKeys() {
        handles.pretendNoCancelKeys();
    }

    /** For tests: behaves as if the kernel lacked an opcode. Before the first submission that would use it. */
    void pretendUnsupported(int opcode) {
        supported[opcode] = false;
    }

    /** For tests: the opcodes the kernel has (as the probe found them, less those pretended unsupported). */
    boolean[] supportedOpcodes() {
        return supported.clone();
    }

    /** For tests, after a read's completion: whether the next recv on {@code handle} arms poll first. */
    boolean recvPollsFirst(int handle) {
        FdTable.Entry e = fds.get(handle);
        return e != null && e.drained && supported[UringLayout.OP_SOCKET];
    }

    /** Loop, for tests: how often the kernel's CQ overflow list had to be flushed. */
    long overflowFlushes() {
        return driver.overflowFlushes();
    }
}
