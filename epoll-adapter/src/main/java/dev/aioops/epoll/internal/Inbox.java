package dev.aioops.epoll.internal;

import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.LoopCounters;
import dev.aioops.spi.internal.WakeupGate;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

import java.nio.channels.Selector;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What other threads hand the loop (new operations, file operations back from the pool, signalled eventfds,
 * cancels, tasks) in one lock-free MPSC queue; whether it still admits work; and the {@link WakeupGate}
 * handshake, so that a producer wakes the selector only when the loop is about to sleep or asleep: one
 * {@link Selector#wakeup()} per sleep, not per message.
 *
 * <p><b>Threads.</b> Any thread produces; only the loop consumes ({@link #poll}, {@link #prepareSleep},
 * {@link #awake}) and closes ({@link #awaitProducers}).
 *
 * <p><b>Admission</b> lets close tell a submission that will reach the queue from one that was refused: a producer
 * counts itself in ({@link #PRODUCER}) and checks the closed bit in one atomic step, and counts itself out after
 * its enqueue. Once the bit is set and the count is back to zero, everything admitted is in the queue.
 */
final class Inbox {

    /** {@link #admission}: the closed bit; producers count in steps of 2 above it. */
    private static final long CLOSED = 1L;
    private static final long PRODUCER = 2L;

    private final MpscUnboundedAtomicArrayQueue<Object> queue = new MpscUnboundedAtomicArrayQueue<>(1024);
    private final WakeupGate gate = new WakeupGate();
    /** The loop's counters for AioStats; here because the inbox is the loop's first part. Loop thread only. */
    final LoopCounters counters = new LoopCounters();
    /** The closed bit plus {@link #PRODUCER} for each admitted producer between its check and its enqueue. */
    private final AtomicLong admission = new AtomicLong();
    private final Selector selector;

    /**
     * @param selector the loop's selector, woken when a message arrives while the loop sleeps
     */
    Inbox(Selector selector) {
        this.selector = selector;
    }

    /**
     * Any thread but the loop: enqueues an operation or task, refused once closed, and wakes the loop.
     *
     * @param message an {@link Op} or a {@link Runnable}
     * @throws IllegalStateException if the instance is closed
     */
    void admit(Object message) {
        if ((admission.getAndAdd(PRODUCER) & CLOSED) != 0) {
            admission.getAndAdd(-PRODUCER);
            throw Checks.closed("epoll");
        }
        try {
            queue.offer(message);
        } finally {
            admission.getAndAdd(-PRODUCER);
        }
        wake();
    }

    /**
     * Any thread: enqueues a message that needs no admission (a signal, a cancel) and wakes the loop.
     *
     * @param message the message
     */
    void send(Object message) {
        queue.offer(message);
        wake();
    }

    /**
     * Any thread: enqueues a message without waking the loop; the caller calls {@link #wake()} after (a pool
     * thread does, once it has left the lock it enqueued under).
     *
     * @param message the message
     */
    void offer(Object message) {
        queue.offer(message);
    }

    /** Any thread: wakes the loop if it sleeps or is about to, unless another producer has claimed that. */
    void wake() {
        if (gate.claimWakeup()) {
            selector.wakeup();
        }
    }

    /**
     * Any thread.
     *
     * @return {@code true} once {@link #close()} was called: new work is refused
     */
    boolean isClosed() {
        return (admission.get() & CLOSED) != 0;
    }

    /** Any thread: refuses new work from now on. Idempotent. */
    void close() {
        admission.getAndUpdate(s -> s | CLOSED);
    }

    /** Closing loop, after {@link #close()}: waits until every admitted producer has enqueued. */
    void awaitProducers() {
        while (admission.get() != CLOSED) {
            Thread.onSpinWait();
        }
    }

    /**
     * Loop: the oldest message.
     *
     * @return the message, or null if there is none
     */
    Object poll() {
        return queue.poll();
    }

    /**
     * Loop, before it sleeps in the selector: announces the sleep, then looks at the queue once more.
     *
     * @return {@code true} if the loop may sleep (then {@link #awake()} after); {@code false} if messages
     *         arrived, so it must not
     */
    boolean prepareSleep() {
        gate.prepareSleep();
        if (!queue.isEmpty()) {
            gate.cancelSleep();
            return false;
        }
        return true;
    }

    /** Loop: it has woken; producers need not wake it until the next sleep. */
    void awake() {
        if (!gate.awake()) {
            counters.wakeup(); // a producer claimed this sleep: it woke the selector
        }
    }
}
