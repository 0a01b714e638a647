package dev.aioops.spi.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The sequence-number handshake between a loop that sleeps and the threads that hand it work, so that waking
 * the loop costs at most one system call per sleep rather than one per message.
 *
 * <p>The loop, before it sleeps: {@link #prepareSleep()}, then looks at its queues once more; if they hold
 * work it calls {@link #cancelSleep()} and does not sleep, else it sleeps until woken and then calls
 * {@link #awake()}. A producer, after publishing its work: {@link #claimWakeup()}, and performs the wake-up
 * (writes the eventfd, wakes the selector) only when that returns {@code true}. Exactly one producer claims
 * each sleep; a producer that finds the loop awake does nothing but one volatile read.
 *
 * <p>Why no wake-up is lost: the loop's volatile store of "sleeping" precedes its re-check of the queue, and
 * a producer's enqueue (a full fence in every MPSC queue we use) precedes its volatile read of the state. By
 * sequential consistency either the loop sees the message, or the producer sees "sleeping" and wakes it.
 * The sequence number in the state makes a claim valid for one sleep only (no ABA across sleeps).
 * {@code WakeupGateStress} in {@code concurrency-tests} checks this with jcstress.
 */
public final class WakeupGate {

    private static final long SLEEPING = 1L;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(WakeupGate.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Padding keeps the state, written by the loop and CASed by producers, off its neighbours' cache lines.
    @SuppressWarnings("unused")
    private long p01, p02, p03, p04, p05, p06, p07;
    /** Sequence number of the sleep in the upper 63 bits, {@link #SLEEPING} in the lowest. */
    @SuppressWarnings("unused")
    private volatile long state;
    @SuppressWarnings("unused")
    private long p11, p12, p13, p14, p15, p16, p17;

    /** Creates a gate for a loop that is awake. */
    public WakeupGate() {
    }

    /**
     * Loop thread: announces that it is about to sleep. Must be followed by a last look at the queues.
     */
    public void prepareSleep() {
        // Volatile (sequentially consistent) store: ordered before the loop's re-check of its queues.
        STATE.setVolatile(this, (((long) STATE.getOpaque(this) >>> 1) + 1) << 1 | SLEEPING);
    }

    /**
     * Loop thread: the last look found work, so the loop will not sleep after all.
     *
     * @return {@code true} if a producer has already claimed this sleep, so one wake-up signal is on its way
     *         and will be seen by the next sleep (harmless, but the loop may drain it)
     */
    public boolean cancelSleep() {
        return !awake();
    }

    /**
     * Loop thread: it has woken (or given up sleeping); producers need not wake it until the next sleep.
     *
     * @return {@code true} if the loop was still marked sleeping (no producer claimed the wake-up)
     */
    public boolean awake() {
        long s = (long) STATE.getVolatile(this);
        // Only the loop clears the sleeping bit besides a claiming producer; a failed CAS means one claimed it.
        return (s & SLEEPING) != 0 && STATE.compareAndSet(this, s, s & ~SLEEPING);
    }

    /**
     * Producer, any thread, after its work is visible to the loop: claims the duty of waking the loop.
     *
     * @return {@code true} if the caller must wake the loop (exactly one caller per sleep gets {@code true})
     */
    public boolean claimWakeup() {
        long s = (long) STATE.getVolatile(this);
        return (s & SLEEPING) != 0 && STATE.compareAndSet(this, s, s & ~SLEEPING);
    }

    /**
     * Whether the loop is marked sleeping and not yet claimed, for tests and diagnostics.
     *
     * @return {@code true} if a producer arriving now would have to wake the loop
     */
    public boolean isSleeping() {
        return ((long) STATE.getVolatile(this) & SLEEPING) != 0;
    }
}
