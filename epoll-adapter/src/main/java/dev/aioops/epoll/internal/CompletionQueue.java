package dev.aioops.epoll.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.internal.LoopCounters;
import dev.aioops.spi.internal.Observability;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * The operations of one instance between start and completion: the pending ones by token, the finished ones
 * waiting to be delivered, and delivered ones kept for reuse. Finishing only queues; completions run when the
 * loop calls {@link #deliverNext()}, never inside the code that finished the operation. Loop-confined.
 */
final class CompletionQueue {

    private static final int MAX_SPARE_OPS = 4096;

    private final TokenMap pending = new TokenMap();
    private final ArrayDeque<Op> ready = new ArrayDeque<>();
    private final ArrayDeque<Op> spare = new ArrayDeque<>();
    private final Consumer<Throwable> errors;
    private final LoopCounters counters;
    /** Pending timeouts and deadlines, shared with {@link TimeoutDriver}. */
    private final TimerHeap timers = new TimerHeap();

    /**
     * @param errors   receives what a completion throws
     * @param counters counts operations started and completions run
     */
    CompletionQueue(Consumer<Throwable> errors, LoopCounters counters) {
        this.errors = errors;
        this.counters = counters;
    }

    /**
     * A delivered operation to reuse, so that a submission on the loop allocates nothing.
     *
     * @return a reset operation, or null when none is spare
     */
    Op spare() {
        return spare.poll();
    }

    /** Registers an operation that has been accepted and is about to start. */
    void started(Op op) {
        op.stage = Op.PENDING;
        pending.put(op);
        counters.submitted();
    }

    /**
     * Withdraws the pending operation of a token through the driver keeping it ({@link Op#canceller}); does
     * nothing if the operation is unknown, finished, or cannot be withdrawn (a close waiting for file threads).
     *
     * @param token a token
     */
    void cancel(long token) {
        Op op = pending.get(token);
        if (op != null) {
            cancel(op);
        }
    }

    /** Withdraws every pending operation, as {@link #cancel(long)} does each. */
    void cancelAll() {
        for (Op op : pending.snapshot()) {
            cancel(op);
        }
    }

    private static void cancel(Op op) {
        if (op.stage == Op.PENDING && op.canceller != null) {
            op.canceller.cancel(op);
        }
    }

    /** Every operation not yet delivered. */
    List<Op> snapshot() {
        return pending.snapshot();
    }

    /** The heap of timeouts and deadlines. */
    TimerHeap timers() {
        return timers;
    }

    /** Sets an operation's result and queues its completion; one with a deadline leaves the timer heap. */
    void finish(Op op, int result) {
        if (op.deadline) {
            timers.remove(op);
        }
        op.result = result;
        op.stage = Op.READY;
        ready.add(op);
    }

    boolean hasReady() {
        return !ready.isEmpty();
    }

    /**
     * Runs the completion of the oldest finished operation, reporting what it throws.
     *
     * @return {@code true} if there was one
     */
    boolean deliverNext() {
        Op op = ready.poll();
        if (op == null) {
            return false;
        }
        op.stage = Op.DONE;
        pending.remove(op.token);
        int result = op.result;
        Object attachment = op.attachment;
        AioCompletion<Object> completion = op.completion;
        // Nothing refers to the operation any more (not the token map, a queue, the timer heap or the pool).
        if (op.recycle() && spare.size() < MAX_SPARE_OPS) {
            spare.push(op);
        }
        counters.completed();
        try {
            Observability.complete("epoll", completion, result, attachment);
        } catch (Throwable e) {
            errors.accept(e);
        }
        return true;
    }
}
