package dev.aioops.uring.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.uring.ring.LibC;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

import static dev.aioops.uring.ring.UringLayout.CQE_FLAGS;
import static dev.aioops.uring.ring.UringLayout.CQE_RES;
import static dev.aioops.uring.ring.UringLayout.CQE_SIZE;
import static dev.aioops.uring.ring.UringLayout.CQE_USER_DATA;
import static dev.aioops.uring.ring.UringLayout.CQOFF_CQES;
import static dev.aioops.uring.ring.UringLayout.CQOFF_HEAD;
import static dev.aioops.uring.ring.UringLayout.CQOFF_RING_MASK;
import static dev.aioops.uring.ring.UringLayout.CQOFF_TAIL;
import static dev.aioops.uring.ring.UringLayout.PARAMS_CQ_ENTRIES;
import static dev.aioops.uring.ring.UringLayout.PARAMS_CQ_OFF;
import static dev.aioops.uring.ring.UringLayout.PARAMS_FEATURES;
import static dev.aioops.uring.ring.UringLayout.PARAMS_FLAGS;
import static dev.aioops.uring.ring.UringLayout.PARAMS_SQ_ENTRIES;
import static dev.aioops.uring.ring.UringLayout.PARAMS_SQ_OFF;
import static dev.aioops.uring.ring.UringLayout.PARAMS_SQ_THREAD_IDLE;
import static dev.aioops.uring.ring.UringLayout.SQE_SIZE;
import static dev.aioops.uring.ring.UringLayout.SQOFF_ARRAY;
import static dev.aioops.uring.ring.UringLayout.SQOFF_FLAGS;
import static dev.aioops.uring.ring.UringLayout.SQOFF_HEAD;
import static dev.aioops.uring.ring.UringLayout.SQOFF_RING_MASK;
import static dev.aioops.uring.ring.UringLayout.SQOFF_TAIL;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One io_uring: the ring descriptor, its mapped submission and completion queues, and the system calls on it.
 * Knows nothing of operations: callers take an SQE slot with {@link #nextSqe()}, fill it with {@link SqeEncoder},
 * and read completions with {@link #cqReady()}, {@link #cqeUserData}, {@link #cqeRes} and {@link #cqAdvance}. The
 * opcodes the kernel has are asked with {@link OpcodeSupport#probe}.
 *
 * <p><b>Threads.</b> After construction, only the loop thread touches a ring. The kernel is the other party of the
 * shared rings: the SQ tail is published with a release store and the CQ tail read with an acquire load, the
 * pairs of the kernel's own {@code smp_load_acquire}/{@code smp_store_release} on the same fields.
 */
public final class Ring implements AutoCloseable {

    /** Accesses a ring's u32 fields; coordinates (segment, offset). */
    private static final VarHandle INT = JAVA_INT.varHandle();

    private final Arena arena;
    private final MemorySegment errno;
    private final int fd;
    private final int setupFlags;
    private final int features;
    private final int sqEntries;
    private final int cqEntries;
    private final long sqRingAddress;
    private final long sqRingSize;
    private final long cqRingAddress;
    private final long cqRingSize;
    private final long sqesAddress;
    private final long sqesSize;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final long sqHeadOffset;
    private final long sqTailOffset;
    private final long sqFlagsOffset;
    private final int sqMask;
    private final long cqHeadOffset;
    private final long cqTailOffset;
    private final long cqesOffset;
    private final int cqMask;
    private final boolean sqPoll;
    /** Whether the kernel flags pending task work in the SQ flags ({@code IORING_SETUP_TASKRUN_FLAG}). */
    private final boolean taskrunFlag;

    /** Next SQ index to fill; published to the kernel by {@link #submit}. */
    private int sqTail;
    /** Our CQ head; published with a release store by {@link #cqAdvance}. */
    private int cqHead;
    private boolean closed;
    /** The fd argument of io_uring_enter: the ring fd, or its registered index ({@link #registerRingFd}). */
    private int enterFd;
    /** {@code IORING_ENTER_REGISTERED_RING} once registered, else 0. */
    private int enterFlags;
    /** The thread whose io_uring context holds the registered index (it is per thread), or null. */
    private Thread registrant;
    /** io_uring_enter calls made, for tests and the bench. */
    private long enters;

    private Ring(Arena arena, MemorySegment errno, int fd, MemorySegment params, boolean singleMmap,
                 long sqRingAddress, long sqRingSize, long cqRingAddress, long cqRingSize, long sqesAddress,
                 long sqesSize) {
        this.arena = arena;
        this.errno = errno;
        this.fd = fd;
        this.setupFlags = params.get(JAVA_INT, PARAMS_FLAGS);
        this.features = params.get(JAVA_INT, PARAMS_FEATURES);
        this.sqEntries = params.get(JAVA_INT, PARAMS_SQ_ENTRIES);
        this.cqEntries = params.get(JAVA_INT, PARAMS_CQ_ENTRIES);
        this.sqRingAddress = sqRingAddress;
        this.sqRingSize = sqRingSize;
        this.cqRingAddress = singleMmap ? sqRingAddress : cqRingAddress;
        this.cqRingSize = singleMmap ? 0 : cqRingSize;
        this.sqesAddress = sqesAddress;
        this.sqesSize = sqesSize;
        this.sqRing = map(sqRingAddress, sqRingSize);
        this.cqRing = singleMmap ? sqRing : map(cqRingAddress, cqRingSize);
        this.sqes = map(sqesAddress, sqesSize);
        long sq = PARAMS_SQ_OFF;
        long cq = PARAMS_CQ_OFF;
        this.sqHeadOffset = Integer.toUnsignedLong(params.get(JAVA_INT, sq + SQOFF_HEAD));
        this.sqTailOffset = Integer.toUnsignedLong(params.get(JAVA_INT, sq + SQOFF_TAIL));
        this.sqFlagsOffset = Integer.toUnsignedLong(params.get(JAVA_INT, sq + SQOFF_FLAGS));
        this.sqMask = sqRing.get(JAVA_INT, Integer.toUnsignedLong(params.get(JAVA_INT, sq + SQOFF_RING_MASK)));
        this.cqHeadOffset = Integer.toUnsignedLong(params.get(JAVA_INT, cq + CQOFF_HEAD));
        this.cqTailOffset = Integer.toUnsignedLong(params.get(JAVA_INT, cq + CQOFF_TAIL));
        this.cqesOffset = Integer.toUnsignedLong(params.get(JAVA_INT, cq + CQOFF_CQES));
        this.cqMask = cqRing.get(JAVA_INT, Integer.toUnsignedLong(params.get(JAVA_INT, cq + CQOFF_RING_MASK)));
        this.sqPoll = (setupFlags & UringLayout.SETUP_SQPOLL) != 0;
        this.taskrunFlag = (setupFlags & UringLayout.SETUP_TASKRUN_FLAG) != 0;
        this.enterFd = fd;
        // The SQ array indirection is set to the identity once: SQE i is always submitted from array slot i.
        long array = Integer.toUnsignedLong(params.get(JAVA_INT, sq + SQOFF_ARRAY));
        for (int i = 0; i < sqEntries; i++) {
            sqRing.set(JAVA_INT, array + 4L * i, i);
        }
        this.sqTail = (int) INT.getAcquire(sqRing, sqTailOffset);
        this.cqHead = (int) INT.getAcquire(cqRing, cqHeadOffset);
    }

    @SuppressWarnings("restricted") // the kernel mapped exactly this many bytes at this address
    private static MemorySegment map(long address, long size) {
        return MemorySegment.ofAddress(address).reinterpret(size);
    }

    /**
     * Sets up a ring, trying the flag sets in order and moving on while the kernel answers {@code EINVAL}.
     *
     * @param sqEntries  submission queue entries, a power of two
     * @param cqEntries  completion queue entries, a power of two {@code >= sqEntries}
     * @param flagSets   {@code IORING_SETUP_*} sets to try, best first ({@code CQSIZE} is added to each)
     * @param sqIdleMs   SQPOLL idle time, when a set has SQPOLL
     * @return the ring
     * @throws UringException with the errno of the last attempt when none succeeds or mapping fails
     */
    public static Ring setup(int sqEntries, int cqEntries, int[] flagSets, int sqIdleMs) {
        return setup(sqEntries, cqEntries, flagSets, sqIdleMs, false);
    }

    /**
     * As {@link #setup(int, int, int[], int)}, optionally mapping the CQ ring on its own as kernels before 5.4
     * require (for tests of that path).
     *
     * @param sqEntries    submission queue entries, a power of two
     * @param cqEntries    completion queue entries
     * @param flagSets     {@code IORING_SETUP_*} sets to try, best first
     * @param sqIdleMs     SQPOLL idle time
     * @param separateMaps map SQ and CQ rings separately even with {@code IORING_FEAT_SINGLE_MMAP}
     * @return the ring
     */
    static Ring setup(int sqEntries, int cqEntries, int[] flagSets, int sqIdleMs, boolean separateMaps) {
        return setup(sqEntries, cqEntries, flagSets, sqIdleMs, separateMaps, -1);
    }

    /**
     * As {@link #setup(int, int, int[], int)}, attached to the io-wq of another ring when {@code wqFd >= 0}
     * ({@code IORING_SETUP_ATTACH_WQ} is added to every flag set; see {@link UringGroup} for what the kernel shares).
     *
     * @param sqEntries    submission queue entries, a power of two
     * @param cqEntries    completion queue entries
     * @param flagSets     {@code IORING_SETUP_*} sets to try, best first
     * @param sqIdleMs     SQPOLL idle time
     * @param separateMaps map SQ and CQ rings separately even with {@code IORING_FEAT_SINGLE_MMAP}
     * @param wqFd         the ring to attach to, or -1
     * @return the ring
     */
    static Ring setup(int sqEntries, int cqEntries, int[] flagSets, int sqIdleMs, boolean separateMaps, int wqFd) {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment errno = LibC.newErrnoState(arena);
            MemorySegment params = arena.allocate(UringLayout.PARAMS_SIZE, 8);
            int simulated = SimulatedSetupFailure.errno(cqEntries);
            if (simulated != 0) {
                throw new UringException(simulated, "io_uring_setup (simulated by -D" + SimulatedSetupFailure.PROPERTY
                        + ")");
            }
            int fd = -AioErrno.EINVAL;
            for (int flags : flagSets) {
                params.fill((byte) 0);
                params.set(JAVA_INT, PARAMS_FLAGS, flags | UringLayout.SETUP_CQSIZE
                        | (wqFd >= 0 ? UringLayout.SETUP_ATTACH_WQ : 0));
                params.set(JAVA_INT, UringLayout.PARAMS_WQ_FD, Math.max(wqFd, 0));
                params.set(JAVA_INT, PARAMS_CQ_ENTRIES, cqEntries);
                params.set(JAVA_INT, PARAMS_SQ_THREAD_IDLE, sqIdleMs);
                fd = UringSyscalls.ioUringSetup(errno, sqEntries, params);
                if (fd != -AioErrno.EINVAL) {
                    break;
                }
            }
            if (fd < 0) {
                throw new UringException(-fd, "io_uring_setup");
            }
            return map(arena, errno, fd, params, separateMaps);
        } catch (RuntimeException | Error e) {
            arena.close();
            throw e;
        }
    }

    private static Ring map(Arena arena, MemorySegment errno, int fd, MemorySegment params, boolean separateMaps) {
        int features = params.get(JAVA_INT, PARAMS_FEATURES);
        int sqEntries = params.get(JAVA_INT, PARAMS_SQ_ENTRIES);
        int cqEntries = params.get(JAVA_INT, PARAMS_CQ_ENTRIES);
        long sqSize = Integer.toUnsignedLong(params.get(JAVA_INT, PARAMS_SQ_OFF + SQOFF_ARRAY)) + 4L * sqEntries;
        long cqSize = Integer.toUnsignedLong(params.get(JAVA_INT, PARAMS_CQ_OFF + CQOFF_CQES)) + CQE_SIZE * cqEntries;
        boolean single = (features & UringLayout.FEAT_SINGLE_MMAP) != 0 && !separateMaps;
        if (single) {
            sqSize = Math.max(sqSize, cqSize);
        }
        long sqAddress = 0;
        long cqAddress = 0;
        long sqesSize = SQE_SIZE * sqEntries;
        try {
            sqAddress = checkMapped(UringSyscalls.mmapShared(errno, sqSize, fd, UringLayout.OFF_SQ_RING), "SQ ring");
            if (!single) {
                cqAddress = checkMapped(UringSyscalls.mmapShared(errno, cqSize, fd, UringLayout.OFF_CQ_RING),
                        "CQ ring");
            }
            long sqesAddress = checkMapped(UringSyscalls.mmapShared(errno, sqesSize, fd, UringLayout.OFF_SQES), "SQEs");
            return new Ring(arena, errno, fd, params, single, sqAddress, sqSize, cqAddress, cqSize, sqesAddress,
                    sqesSize);
        } catch (RuntimeException e) {
            if (sqAddress > 0) {
                UringSyscalls.munmap(sqAddress, sqSize);
            }
            if (cqAddress > 0) {
                UringSyscalls.munmap(cqAddress, cqSize);
            }
            LibC.close(fd);
            throw e;
        }
    }

    private static long checkMapped(long address, String what) {
        if (address < 0 && address > -4096) {
            throw new UringException((int) -address, "mmap of the io_uring " + what);
        }
        return address;
    }

    /**
     * The ring descriptor.
     *
     * @return the ring descriptor
     */
    public int fd() {
        return fd;
    }

    /**
     * The setup flags the kernel accepted.
     *
     * @return the setup flags the kernel accepted
     */
    public int setupFlags() {
        return setupFlags;
    }

    /**
     * The {@code IORING_FEAT_*} flags of the kernel.
     *
     * @return the {@code IORING_FEAT_*} flags of the kernel
     */
    public int features() {
        return features;
    }

    /**
     * The number of SQ entries.
     *
     * @return the number of SQ entries
     */
    public int sqEntries() {
        return sqEntries;
    }

    /**
     * The number of CQ entries.
     *
     * @return the number of CQ entries
     */
    public int cqEntries() {
        return cqEntries;
    }

    /**
     * The errno capture segment of the loop thread.
     *
     * @return the errno capture segment of the loop thread
     */
    public MemorySegment errnoState() {
        return errno;
    }

    /**
     * The arena of this ring, for small native scratch memory that lives as long as the ring.
     *
     * @return the arena of this ring, for small native scratch memory that lives as long as the ring
     */
    public Arena arena() {
        return arena;
    }

    // ------------------------------------------------------------------------------------------ submission

    /**
     * The mapped SQE array, for {@link SqeEncoder}.
     *
     * @return the mapped SQE array, for {@link SqeEncoder}
     */
    public MemorySegment sqes() {
        return sqes;
    }

    /**
     * How many SQEs can be taken before the SQ is full.
     *
     * @return free SQ entries
     */
    public int sqFree() {
        // As nextSqe: the kernel's head, acquired.
        return sqEntries - (sqTail - (int) INT.getAcquire(sqRing, sqHeadOffset));
    }

    /**
     * Takes the next free SQE.
     *
     * @return its offset in {@link #sqes()}, or -1 when the SQ is full (call {@link #submit} and try again)
     */
    public long nextSqe() {
        // The kernel's head is advanced as it consumes entries: acquire, so its reads of them happened.
        int head = (int) INT.getAcquire(sqRing, sqHeadOffset);
        if (sqTail - head >= sqEntries) {
            return -1;
        }
        long offset = SQE_SIZE * (sqTail & sqMask);
        sqTail++;
        return offset;
    }

    /**
     * SQEs filled and not yet consumed by the kernel.
     *
     * @return SQEs filled and not yet consumed by the kernel
     */
    public int sqPending() {
        return sqTail - (int) INT.getAcquire(sqRing, sqHeadOffset);
    }

    /**
     * Publishes filled SQEs and enters the kernel: submits them and, with {@code GETEVENTS}, runs deferred work and
     * waits for {@code minComplete} completions.
     *
     * @param minComplete completions to wait for (needs {@code getEvents})
     * @param getEvents   whether to reap (and, with {@code DEFER_TASKRUN}, run) completion work
     * @param timeoutArg  {@link MemorySegment#NULL}, or an {@code io_uring_getevents_arg} bounding the wait
     * @return SQEs consumed (possibly 0), or {@code -errno} ({@code -EINTR}, {@code -ETIME} on a wait timeout,
     *         {@code -EBUSY}/{@code -EAGAIN} when the kernel wants completions reaped first)
     */
    public int submit(int minComplete, boolean getEvents, MemorySegment timeoutArg) {
        if (closed) {
            throw new IllegalStateException("the io_uring is closed"); // never touch the unmapped rings
        }
        // Release: our SQE writes become visible to the kernel before the new tail (liburing's
        // io_uring_smp_store_release).
        INT.setRelease(sqRing, sqTailOffset, sqTail);
        int toSubmit = sqPending();
        int flags = getEvents ? UringLayout.ENTER_GETEVENTS : 0;
        if (sqPoll) {
            // Full fence (liburing's io_uring_smp_mb): the tail store must not pass the flag load, or the poller may
            // sleep on the old tail while we read a stale "awake" and skip the wake-up.
            VarHandle.fullFence();
            if (((int) INT.getVolatile(sqRing, sqFlagsOffset) & UringLayout.SQ_NEED_WAKEUP) != 0) {
                flags |= UringLayout.ENTER_SQ_WAKEUP;
            } else if (!getEvents) {
                return toSubmit;
            }
        } else if (toSubmit == 0 && !getEvents) {
            return 0;
        }
        long argSize = 0;
        if (timeoutArg.address() != 0) {
            flags |= UringLayout.ENTER_EXT_ARG;
            argSize = UringLayout.GETEVENTS_ARG_SIZE;
        }
        enters++;
        return UringSyscalls.ioUringEnter(errno, enterFd, toSubmit, minComplete, flags | enterFlags, timeoutArg,
                argSize);
    }

    /**
     * Whether an enter that waits for nothing would do anything: there are SQEs to submit, or the kernel flags
     * task work to run ({@code IORING_SQ_TASKRUN}: with {@code DEFER_TASKRUN} completions become CQEs only in an
     * enter) or completions in its overflow list. liburing's {@code cq_ring_needs_flush} asks the same. Without
     * {@code IORING_SETUP_TASKRUN_FLAG}, or with SQPOLL, the kernel does not tell, and the answer is always yes.
     *
     * @return {@code false} when an {@code io_uring_enter(0, 0, GETEVENTS)} can be skipped
     */
    public boolean enterWouldWork() {
        if (!taskrunFlag || sqPoll || sqTail != (int) INT.getAcquire(sqRing, sqHeadOffset)) {
            return true;
        }
        // The kernel sets the flags with an atomic or after queueing the work (io_req_local_work_add), and sets
        // TASKRUN again when a run leaves work behind (io_run_local_work_continue); acquire pairs with that.
        return ((int) INT.getAcquire(sqRing, sqFlagsOffset) & (UringLayout.SQ_TASKRUN | UringLayout.SQ_CQ_OVERFLOW))
                != 0;
    }

    /**
     * Registers the ring fd with the calling thread's io_uring context ({@code IORING_REGISTER_RING_FDS}, Linux
     * 5.18), so that each enter skips the kernel's file lookup and reference count ({@code fget}/{@code fput}).
     * The index is valid only on this thread: call it from the one thread that enters. Where the kernel refuses
     * (older kernels, or the 16 registrations per thread are taken) the ring keeps entering by its fd.
     *
     * @return 0 when registered, or the kernel's {@code -errno}
     */
    public int registerRingFd() {
        if (registrant != null) {
            return 0;
        }
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment update = scratch.allocate(UringLayout.RSRC_UPDATE_SIZE, 8);
            update.set(JAVA_INT, UringLayout.RSRC_UPDATE_OFFSET, -1); // any free index
            update.set(JAVA_LONG, UringLayout.RSRC_UPDATE_DATA, fd);
            int r = register(UringLayout.REGISTER_RING_FDS, update, 1);
            if (r != 1) {
                return r < 0 ? r : -AioErrno.EINVAL;
            }
            enterFd = update.get(JAVA_INT, UringLayout.RSRC_UPDATE_OFFSET);
            enterFlags = UringLayout.ENTER_REGISTERED_RING;
            registrant = Thread.currentThread();
            return 0;
        }
    }

    /**
     * Whether enters use a registered index rather than the ring fd.
     *
     * @return whether enters use a registered index rather than the ring fd
     */
    public boolean ringFdRegistered() {
        return registrant != null;
    }

    /**
     * How many {@code io_uring_enter} calls this ring has made.
     *
     * @return how many {@code io_uring_enter} calls this ring has made
     */
    public long enters() {
        return enters;
    }

    /** Drops the registered index from the registering thread's context; elsewhere it goes when that thread exits. */
    private void unregisterRingFd() {
        if (registrant == null || registrant != Thread.currentThread()) {
            return; // another thread's index may name another ring: never unregister it from here
        }
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment update = scratch.allocate(UringLayout.RSRC_UPDATE_SIZE, 8);
            update.set(JAVA_INT, UringLayout.RSRC_UPDATE_OFFSET, enterFd);
            register(UringLayout.UNREGISTER_RING_FDS, update, 1);
        }
        registrant = null;
        enterFd = fd;
        enterFlags = 0;
    }

    /**
     * Whether the kernel holds completions that did not fit the CQ ({@code IORING_SQ_CQ_OVERFLOW}); an enter with
     * {@code GETEVENTS} moves them in as room frees.
     *
     * @return {@code true} if completions wait in the overflow list
     */
    public boolean cqOverflowed() {
        // The kernel sets the flag with an atomic or; an acquire read pairs with it.
        return ((int) INT.getAcquire(sqRing, sqFlagsOffset) & UringLayout.SQ_CQ_OVERFLOW) != 0;
    }

    // ------------------------------------------------------------------------------------------ completion

    /**
     * Completions ready to read from the CQ.
     *
     * @return completions ready to read from the CQ
     */
    public int cqReady() {
        // Acquire: the kernel's CQE writes happened before its release store of the tail.
        return (int) INT.getAcquire(cqRing, cqTailOffset) - cqHead;
    }

    /**
     * The user data of a ready completion.
     *
     * @param i index among the ready ones, {@code 0 <= i < cqReady()}
     * @return its user data
     */
    public long cqeUserData(int i) {
        return cqRing.get(JAVA_LONG, cqesOffset + CQE_SIZE * ((cqHead + i) & cqMask) + CQE_USER_DATA);
    }

    /**
     * The result of a ready completion.
     *
     * @param i index among the ready ones
     * @return its {@code res}
     */
    public int cqeRes(int i) {
        return cqRing.get(JAVA_INT, cqesOffset + CQE_SIZE * ((cqHead + i) & cqMask) + CQE_RES);
    }

    /**
     * The flags of a ready completion.
     *
     * @param i index among the ready ones
     * @return its {@code flags} ({@code IORING_CQE_F_*})
     */
    public int cqeFlags(int i) {
        return cqRing.get(JAVA_INT, cqesOffset + CQE_SIZE * ((cqHead + i) & cqMask) + CQE_FLAGS);
    }

    /**
     * Gives {@code n} read completions back to the kernel.
     *
     * @param n how many
     */
    public void cqAdvance(int n) {
        cqHead += n;
        // Release: our reads of the entries complete before the kernel may overwrite them.
        INT.setRelease(cqRing, cqHeadOffset, cqHead);
    }

    // ------------------------------------------------------------------------------------------ registration

    /**
     * {@code io_uring_register(2)} on this ring.
     *
     * @param opcode {@code IORING_REGISTER_*}
     * @param arg    the argument
     * @param nrArgs its count
     * @return the result, or {@code -errno}
     */
    public int register(int opcode, MemorySegment arg, int nrArgs) {
        return UringSyscalls.ioUringRegister(errno, fd, opcode, arg, nrArgs);
    }

    /**
     * Unmaps the rings and closes the descriptor (which also drops every registration). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        unregisterRingFd();
        UringSyscalls.munmap(sqesAddress, sqesSize);
        if (cqRingSize > 0) {
            UringSyscalls.munmap(cqRingAddress, cqRingSize);
        }
        UringSyscalls.munmap(sqRingAddress, sqRingSize);
        LibC.close(fd);
        arena.close();
    }
}
