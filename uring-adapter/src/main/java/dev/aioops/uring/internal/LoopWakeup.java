package dev.aioops.uring.internal;

import dev.aioops.spi.internal.WakeupGate;
import dev.aioops.uring.ring.LibC;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.LongAdder;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * How a sleeping loop is woken and how a host learns that it has work. The loop keeps a read of a private eventfd
 * pending in its ring; another thread wakes it by writing that eventfd, at most once per sleep
 * ({@link WakeupGate}: a producer writes only when its claim observed the "sleeping" state). A
 * {@link dev.aioops.spi.AioConfig.Threading#HOST_DRIVEN} instance also registers a notification eventfd with the
 * ring ({@code IORING_REGISTER_EVENTFD}), which the kernel signals on every completion, the wake-up read's
 * included: a host asleep in {@code poll(2)} on it learns of completions, tasks and cross-thread submissions alike.
 *
 * <p><b>The gap.</b> Between two {@code runOnce} calls the host sleeps in its own loop, and work the driving
 * thread queues itself (submissions, cancels, tasks, early completions) sits where nobody watches. The first such
 * work of a gap writes the wake-up eventfd once (through the gate, shared with other producers), which signals the
 * notification fd, so that the host calls {@code runOnce} again.
 *
 * <p><b>Threads.</b> {@link #wake()} and {@link #wakeForClose()} on any thread; everything else on the loop.
 */
final class LoopWakeup {

    private final UringLoop loop;
    private final WakeupGate gate = new WakeupGate();
    private final int wakeFd;
    /** The 8 bytes the wake-up read fills; the kernel holds them while the read is pending. */
    private final MemorySegment buffer;
    private final int notifyFd;
    /** Loop: whether the wake-up read is in the ring. */
    private boolean armed;
    /** Loop, host-driven: between two runOnce calls, until the driver's own work has signalled the host. */
    private boolean gap;
    private final LongAdder eventfdWakeups = new LongAdder();
    /** Written by the loop alone; volatile so that tests and benchmarks may read it. */
    private volatile long ringWakesReceived;

    /**
     * Opens the wake-up eventfd and, for a host-driven loop, the notification eventfd (none if the kernel refuses
     * to register it).
     *
     * @throws UringException if the wake-up eventfd cannot be made; nothing is left open then
     */
    LoopWakeup(UringLoop loop, Ring ring, Arena memory, boolean hosted) {
        this.loop = loop;
        this.buffer = memory.allocate(UringLayout.EVENTFD_VALUE_SIZE, 8);
        MemorySegment arg = memory.allocate(JAVA_INT);
        MemorySegment errno = ring.errnoState();
        int wake = LibC.eventfd(errno, 0, UringLayout.EFD_CLOEXEC);
        if (wake < 0) {
            throw new UringException(-wake, "eventfd");
        }
        // Only a host-driven loop is nested in a foreign one; on its own thread the signals would be wasted.
        int notify = hosted ? LibC.eventfd(errno, 0, UringLayout.EFD_CLOEXEC | UringLayout.EFD_NONBLOCK) : -1;
        if (notify >= 0) {
            arg.set(JAVA_INT, 0, notify);
            if (ring.register(UringLayout.REGISTER_EVENTFD, arg, 1) < 0) {
                LibC.close(notify);
                notify = -1;
            }
        }
        this.wakeFd = wake;
        this.notifyFd = notify;
    }

    /** Any thread: the notification eventfd of a host-driven instance, or -1. */
    int notificationFd() {
        return notifyFd;
    }

    /** Loop: puts the wake-up read in the ring unless it is there or the instance is closing. */
    void arm() {
        if (!armed && !loop.isClosing()) {
            armed = true;
            RingDriver driver = loop.driver();
            SqeEncoder.read(driver.sqes(), driver.sqe(), wakeFd, buffer.address(), UringLayout.EVENTFD_VALUE_SIZE, 0,
                    -1, UserData.WAKE);
        }
    }

    /** Loop: the wake-up read completed (a wake-up, or its cancel at close); it is armed again unless closing. */
    void readCompleted() {
        armed = false;
        arm();
    }

    /** Loop: whether the wake-up read (and so its buffer) is still in the kernel. */
    boolean isArmed() {
        return armed;
    }

    /** Loop, closing on a kernel without cancel-all: cancels the wake-up read by its user_data. */
    void cancelRead() {
        RingDriver driver = loop.driver();
        SqeEncoder.cancel(driver.sqes(), driver.sqe(), UserData.WAKE, UserData.IGNORE);
    }

    /** Loop: about to sleep; producers that claim a wake-up from now on write the eventfd. */
    void prepareSleep() {
        gate.prepareSleep();
    }

    /** Loop: the sleep prepared is not taken after all (work arrived). */
    void cancelSleep() {
        gate.cancelSleep();
    }

    /** Loop: awake; producers need not write the eventfd. */
    void awake() {
        gate.awake();
    }

    /**
     * Any thread but the loop: wakes the loop if it sleeps (one wake-up per sleep, shared by producers): an
     * eventfd write, or from the loop thread of another member of its group a {@code MSG_RING} queued on that
     * member's ring ({@link RingMessenger}).
     */
    void wake() {
        if (gate.claimWakeup()) {
            RingMessenger.Member m = loop.member();
            if (m == null || !m.wakeThroughRing()) {
                eventfdWakeups.increment();
                LibC.eventfdWrite(wakeFd, 1);
            }
        }
    }

    /**
     * Any thread: a {@code MSG_RING} that was to wake this loop failed; the wake-up it owed (the gate's claim was
     * spent on it) goes through the eventfd unless the loop is closing (then the closer woke it).
     */
    void wakeAfterLostMessage() {
        loop.inbox().asProducer(() -> {
            if (!loop.isClosing()) {
                eventfdWakeups.increment();
                LibC.eventfdWrite(wakeFd, 1);
            }
        });
    }

    /** Loop: a {@code MSG_RING} wake-up from another member arrived; the turn drains the inbox after it. */
    void ringWakeReceived() {
        ringWakesReceived++;
    }

    /** Any thread: eventfd writes made to wake this loop (not those of close or of a host-driven gap). */
    long eventfdWakeups() {
        return eventfdWakeups.sum();
    }

    /** Any thread, for tests: whether the loop is marked asleep and no producer has claimed its wake-up. */
    boolean sleeping() {
        return gate.isSleeping();
    }

    /** Any thread: {@code MSG_RING} wake-ups this loop has received. */
    long ringWakesReceived() {
        return ringWakesReceived;
    }

    /** Any thread, once, by the closer that saw the instance open: wakes the loop to close, whatever its state. */
    void wakeForClose() {
        LibC.eventfdWrite(wakeFd, 1);
    }

    /** Loop, host-driven: a runOnce returns; the driver's own work from now on must signal the host. */
    void openGap() {
        gap = true;
    }

    /** Loop: a turn begins (or close does); the driver's work is seen without a signal. */
    void closeGap() {
        gap = false;
    }

    /** Loop: the loop's own thread queued work; in a gap, the first such work signals the host. */
    void localWorkQueued() {
        if (gap) {
            signalGap();
        }
    }

    /**
     * One write of the wake-up eventfd per gap (shared with other producers through the gate): its pending read
     * completes and the kernel signals the notification fd, so a host asleep in poll(2) on it calls runOnce, which
     * submits the work.
     */
    void signalGap() {
        gap = false;
        if (!loop.isClosing() && gate.claimWakeup()) {
            LibC.eventfdWrite(wakeFd, 1);
        }
    }

    /** Loop, freeing: drops the notification fd's registration; before the ring is closed. */
    void unregister(Ring ring) {
        if (notifyFd >= 0) {
            ring.register(UringLayout.UNREGISTER_EVENTFD, MemorySegment.NULL, 0);
        }
    }

    /** Loop, freeing: closes both eventfds, once the kernel holds the wake-up read no more. */
    void close() {
        LibC.close(wakeFd);
        if (notifyFd >= 0) {
            LibC.close(notifyFd);
        }
    }
}
