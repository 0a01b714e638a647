package dev.aioops.vertx.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.uring.ring.SqeEncoder;
import io.vertx.core.Timer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

import static dev.aioops.uring.ring.UringLayout.TIMESPEC_SIZE;
import static dev.aioops.uring.ring.UringLayout.TIMESPEC_TV_NSEC;
import static dev.aioops.uring.ring.UringLayout.TIMESPEC_TV_SEC;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The deadline of an operation that has one ({@link Op#deadlineNanos}), in either mode. Vert.x-native: a timer
 * of the context per operation ({@link #arm}); when it fires first the operation is withdrawn through its
 * {@link Canceller} and completes with {@code -ETIMEDOUT} (a file operation a worker already runs cannot be
 * withdrawn and keeps its real result). Shared ring: the kernel's {@code IORING_OP_LINK_TIMEOUT} linked to the
 * operation's entry ({@link #link}), whose {@code -ECANCELED} {@link #result} turns into {@code -ETIMEDOUT}; a
 * socket read queued behind the one in the ring starts its deadline when it enters the ring.
 * Either way {@link #release} runs when the operation's completion fires. Loop thread only.
 */
final class Deadlines {

    private Deadlines() {
    }

    /** Vert.x-native, before the operation is dispatched: starts its timer. */
    static void arm(ContextEngine engine, Op op) {
        if (op.deadlineNanos <= 0) {
            return;
        }
        Timer timer = engine.context.timer(op.deadlineNanos, TimeUnit.NANOSECONDS);
        op.deadlineState = timer;
        timer.onComplete(ar -> {
            if (ar.succeeded() && !op.done && op.canceller != null && op.canceller.cancel(op)) {
                engine.complete(op, -AioErrno.ETIMEDOUT);
            }
        });
    }

    /**
     * Shared ring, with the operation's entry encoded in {@code sqe}: marks it {@code IOSQE_IO_LINK}. After it
     * reached the ring, {@link #encodeTimeout} encodes the timeout entry that must follow it.
     */
    static void link(MemorySegment sqe) {
        SqeEncoder.link(sqe, 0);
    }

    /**
     * Shared ring: encodes the {@code IORING_OP_LINK_TIMEOUT} that follows the operation's entry; its timespec is
     * the operation's until the completion fires (the kernel copies it when it takes the entry, before then).
     */
    static void encodeTimeout(MemorySegment sqe, Op op, long userData) {
        Arena memory = Arena.ofConfined();
        MemorySegment ts = memory.allocate(TIMESPEC_SIZE, 8);
        ts.set(JAVA_LONG, TIMESPEC_TV_SEC, op.deadlineNanos / 1_000_000_000L);
        ts.set(JAVA_LONG, TIMESPEC_TV_NSEC, op.deadlineNanos % 1_000_000_000L);
        op.deadlineState = memory;
        SqeEncoder.linkTimeout(sqe, 0, ts.address(), userData);
    }

    /**
     * Shared ring: the result of an operation with a deadline; a cancellation neither the user nor a close asked
     * for was the link timeout's.
     */
    static int result(Op op, int res, boolean closing) {
        boolean killed = res == -AioErrno.ECANCELED || res == -AioErrno.EINTR;
        return op.deadlineNanos > 0 && killed && !op.cancelRequested && !closing ? -AioErrno.ETIMEDOUT : res;
    }

    /** When the completion fires: cancels the timer, or frees the timespec. */
    static void release(Op op) {
        switch (op.deadlineState) {
            case Timer timer -> timer.cancel();
            case Arena memory -> memory.close();
            case null, default -> {
            }
        }
        op.deadlineState = null;
    }
}
