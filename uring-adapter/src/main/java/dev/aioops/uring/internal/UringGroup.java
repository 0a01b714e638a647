package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.internal.MemberGroup;
import dev.aioops.uring.ring.LibC;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A group of io_uring members ({@link dev.aioops.spi.AioGroup}) that share what rings of one process can share.
 *
 * <p><b>Kernel workers.</b> Member 0's ring is set up as a lone instance's; members 1..n-1 with
 * {@code IORING_SETUP_ATTACH_WQ} and {@code wq_fd} = member 0's ring. What the kernel shares then depends on the
 * ring: since Linux 5.12 the io-wq (the pool of {@code iou-wrk-*} threads that run punted work) belongs to the task
 * that submits, not to the ring, and for a ring without SQPOLL {@code ATTACH_WQ} only checks that {@code wq_fd} is
 * a ring ({@code io_sq_offload_create} in {@code io_uring/sqpoll.c}: {@code ENXIO} for a bad descriptor,
 * {@code EINVAL} for another file). Each member's loop thread submits to its own ring, so each has an io-wq of its
 * own, whatever the flag. With {@link AioConfig#sqPoll()} the flag does share: the attached rings share member 0's
 * SQ thread, which submits for all of them with its single io-wq. The cap
 * ({@code IORING_REGISTER_IOWQ_MAX_WORKERS}, {@link AioConfig#maxKernelWorkers()}) is counted by the kernel per
 * io-wq and per class (bounded, unbounded; {@code io_wq_max_workers} in {@code io_uring/io-wq.c}), and a
 * registration on a ring reaches every task that uses it ({@code io_register_iowq_max_workers} in
 * {@code io_uring/register.c}); it replaces the kernel's own bound (bounded: {@code min(SQ entries, 4 × CPUs)})
 * rather than lowering it. So that the configured cap holds for the group, each member registers
 * {@code max(1, maxKernelWorkers / size)}: a group of n members then has at most {@code maxKernelWorkers} workers of
 * each class (n when the cap is below n: an io-wq cannot be capped at 0); {@code UringGroupLifecycleTest} counts
 * them by owner ({@code iou-wrk-<tid>}). Attached SQPOLL rings register the whole cap instead, on their one
 * io-wq (member 0's smaller registration comes first and is replaced).
 *
 * <p><b>Refusals.</b> A kernel that refuses {@code ATTACH_WQ} (before 5.6, or a {@code wq_fd} it will not take:
 * {@code EINVAL}, {@code ENXIO}) gets independent rings, and the group logs which once (System.Logger
 * {@code dev.aioops}, INFO). The system property {@value #ATTACH_PROPERTY}{@code =false} opens independent rings on
 * purpose (to compare).
 *
 * <p><b>Wake-ups</b> between members go ring to ring ({@link RingMessenger}) where the kernel has
 * {@code IORING_OP_MSG_RING} (5.18, probed), else through each member's eventfd, which the group logs once.
 * {@value #MSG_RING_PROPERTY}{@code =false} forces the eventfd.
 *
 * <p><b>Close</b> closes every member exactly once ({@link MemberGroup}), then the group's duplicates of the ring
 * descriptors. The kernel refcounts what members share (the SQ thread's data, the io-wq's hash), so no member's
 * ring must outlive the others; the duplicates exist for the messages' sake.
 */
public final class UringGroup extends MemberGroup {

    /** {@code false} sets members' rings up without {@code ATTACH_WQ}. */
    public static final String ATTACH_PROPERTY = "aioops.uring.group.attachWq";
    /** {@code false} makes members wake each other through their eventfds rather than {@code MSG_RING}. */
    public static final String MSG_RING_PROPERTY = "aioops.uring.group.msgRing";

    private static final System.Logger LOG = System.getLogger("dev.aioops");
    private static final AtomicBoolean ATTACH_LOGGED = new AtomicBoolean();
    private static final AtomicBoolean MSG_RING_LOGGED = new AtomicBoolean();
    private static final int ENXIO = 6;

    private final RingMessenger messenger;
    private final boolean attached;

    private UringGroup(List<AioOperations> members, RingMessenger messenger, boolean attached) {
        super(members);
        this.messenger = messenger;
        this.attached = attached;
    }

    /**
     * Opens a group as the system properties say.
     *
     * @param config the configuration of every member
     * @param size   how many members
     * @return the running group
     * @throws UringException if the kernel refuses a ring; members already opened are closed
     */
    public static UringGroup open(AioConfig config, int size) {
        return open(config, size, !"false".equals(System.getProperty(ATTACH_PROPERTY)),
                !"false".equals(System.getProperty(MSG_RING_PROPERTY)), false);
    }

    /**
     * Opens a group, for tests.
     *
     * @param attach        whether to try {@code ATTACH_WQ}
     * @param msgRing       whether to wake through {@code MSG_RING} where the kernel has it
     * @param refuseAttach  whether to name an eventfd as {@code wq_fd}, which the kernel refuses as it refuses the
     *                      flag itself ({@code EINVAL})
     */
    static UringGroup open(AioConfig config, int size, boolean attach, boolean msgRing, boolean refuseAttach) {
        checkSize(size);
        int share = Math.max(1, config.maxKernelWorkers() / size);
        boolean[] attachedAll = {attach && size > 1};
        RingSpec spec = RingSpec.of(config);
        UringAioOperations[] opened = new UringAioOperations[size];
        List<AioOperations> members = openMembers(size, i -> {
            AioConfig c = memberConfig(config, i).toBuilder().maxKernelWorkers(share).build();
            if (i == 0 || !attachedAll[0]) {
                opened[i] = i == 0 ? UringAioOperations.open(c) : UringAioOperations.open(c, spec.setup());
            } else {
                int wqFd = opened[0].loop().resources().ring().fd();
                Ring ring = setupAttached(spec, wqFd, refuseAttach);
                attachedAll[0] = ring != null;
                if (ring != null && config.sqPoll()) {
                    // One SQ thread submits for every attached ring: its single io-wq gets the whole cap.
                    c = c.toBuilder().maxKernelWorkers(config.maxKernelWorkers()).build();
                }
                opened[i] = UringAioOperations.open(c, ring != null ? ring : spec.setup());
            }
            return opened[i];
        });
        try {
            UringGroup group = join(members, opened, msgRing && supportsMsgRing(), attachedAll[0]);
            LOG.log(System.Logger.Level.DEBUG, () -> "uring group of " + size + ": "
                    + (group.attached ? "ATTACH_WQ" : "independent rings") + ", wake-ups between members through "
                    + (group.throughRing() ? "MSG_RING" : "eventfd") + ", kernel workers capped at " + share
                    + " per member");
            return group;
        } catch (RuntimeException e) {
            for (AioOperations m : members) {
                m.close();
            }
            throw e;
        }
    }

    /** Sets up a ring attached to {@code wqFd}, or returns null (logged once) when the kernel refuses the attach. */
    private static Ring setupAttached(RingSpec spec, int wqFd, boolean refuse) {
        int fd = wqFd;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = LibC.newErrnoState(a);
            if (refuse) {
                fd = LibC.eventfd(errno, 0, UringLayout.EFD_CLOEXEC);
            }
            try {
                return spec.setupAttached(fd);
            } catch (UringException e) {
                if (e.errno() != AioErrno.EINVAL && e.errno() != ENXIO) {
                    throw e;
                }
                if (ATTACH_LOGGED.compareAndSet(false, true)) {
                    LOG.log(System.Logger.Level.INFO, "uring group: the kernel refused IORING_SETUP_ATTACH_WQ ("
                            + AioErrno.name(e.errno()) + "); members get rings of their own");
                }
                return null;
            } finally {
                if (refuse) {
                    LibC.close(fd);
                }
            }
        }
    }

    /** Whether the kernel has {@code IORING_OP_MSG_RING}, asked of a ring of its own (members' rings are bound). */
    private static boolean supportsMsgRing() {
        boolean has;
        try (Ring probe = Ring.setup(2, 4, new int[]{0}, 0)) {
            has = OpcodeSupport.probe(probe).has(UringLayout.OP_MSG_RING);
        }
        if (!has && MSG_RING_LOGGED.compareAndSet(false, true)) {
            LOG.log(System.Logger.Level.INFO, "uring group: the kernel lacks IORING_OP_MSG_RING (Linux 5.18); "
                    + "members wake each other through their eventfds");
        }
        return has;
    }

    /** Duplicates the ring descriptors, binds each member's loop thread, and makes the group. */
    private static UringGroup join(List<AioOperations> members, UringAioOperations[] opened, boolean throughRing,
                                   boolean attached) {
        UringLoop[] loops = new UringLoop[opened.length];
        int[] fds = new int[opened.length];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment errno = LibC.newErrnoState(a);
            for (int i = 0; i < opened.length; i++) {
                loops[i] = opened[i].loop();
                fds[i] = LibC.fcntl(errno, loops[i].resources().ring().fd(), UringLayout.F_DUPFD_CLOEXEC, 0);
                if (fds[i] < 0) {
                    for (int j = 0; j < i; j++) {
                        LibC.close(fds[j]);
                    }
                    throw new UringException(-fds[i], "fcntl(F_DUPFD_CLOEXEC) of a ring descriptor");
                }
            }
        }
        RingMessenger messenger = new RingMessenger(loops, fds, throughRing);
        CountDownLatch bound = new CountDownLatch(opened.length);
        for (int i = 0; i < opened.length; i++) {
            RingMessenger.Member m = messenger.member(i);
            loops[i].joinGroup(m);
            opened[i].execute(() -> {
                m.bindToLoopThread();
                bound.countDown();
            });
        }
        try {
            bound.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            messenger.closeDescriptors();
            throw new IllegalStateException("interrupted while opening a uring group", e);
        }
        return new UringGroup(members, messenger, attached);
    }

    /** Whether members 1..n-1 were set up with {@code ATTACH_WQ}. */
    boolean attached() {
        return attached;
    }

    /** Whether wake-ups between members go through {@code MSG_RING}. */
    boolean throughRing() {
        return messenger.throughRing();
    }

    /** Wake-ups sent to member {@code index} through other members' rings. */
    long ringWakeupsSent(int index) {
        return messenger.member(index).ringWakeupsSent();
    }

    /** {@code MSG_RING} wake-ups member {@code index} received. */
    long ringWakeupsReceived(int index) {
        return ((UringAioOperations) member(index)).loop().wakeup().ringWakesReceived();
    }

    /** The messenger, for tests. */
    RingMessenger messenger() {
        return messenger;
    }

    /** Eventfd writes made to wake member {@code index}. */
    long eventfdWakeups(int index) {
        return ((UringAioOperations) member(index)).loop().wakeup().eventfdWakeups();
    }

    @Override
    protected void afterMembersClosed() {
        messenger.closeDescriptors();
    }
}
