package dev.aioops.vertx.internal;

import dev.aioops.spi.AioErrno;

import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An emulated eventfd with the counter rules of Linux {@code eventfd(2)}: signals and 8-byte writes add, an
 * 8-byte read waits for a non-zero counter, takes it and resets it to 0; the counter never exceeds
 * {@code 0xfffffffffffffffe}. Reads queue in submission order.
 *
 * <p>{@link #signal} runs on any thread. The hand-shake with a reader that is about to wait: the reader
 * publishes its wait ({@code waiters}, volatile) and then takes the counter (an atomic read-modify-write); a
 * signaller adds to the counter (atomic) and then reads {@code waiters}. Both sides are sequentially
 * consistent, so either the reader sees the addition or the signaller sees the waiter and wakes the loop.
 */
final class EventfdHandle extends AioHandle implements Canceller {

    private static final long MAX = 0xffff_ffff_ffff_fffeL;

    private final VertxEngine engine;
    private final AtomicLong counter;
    private final AtomicBoolean wakeScheduled = new AtomicBoolean();
    private final Runnable serve = this::serve;
    private final ArrayDeque<Op> readers = new ArrayDeque<>();
    private volatile int waiters;

    EventfdHandle(VertxEngine engine, long initialValue) {
        this.engine = engine;
        this.counter = new AtomicLong(initialValue);
    }

    /** Any thread: adds to the counter and wakes a waiting read. */
    boolean signal(long n) {
        if (isClosed() || !add(n)) {
            return false;
        }
        if (waiters > 0 && wakeScheduled.compareAndSet(false, true)) {
            engine.runOnLoop(serve);
        }
        return true;
    }

    private boolean add(long n) {
        while (true) {
            long c = counter.get();
            if (Long.compareUnsigned(n, MAX - c) > 0) {
                return false;
            }
            if (counter.compareAndSet(c, c + n)) {
                return true;
            }
        }
    }

    /** Loop: an 8-byte read. */
    void read(Op op) {
        if (op.view.byteSize() < 8) {
            engine.complete(op, -AioErrno.EINVAL);
            return;
        }
        readers.add(op);
        op.canceller = this;
        waiters = readers.size();
        serve();
    }

    /** Loop: an 8-byte write adds its value. */
    void write(Op op) {
        if (op.view.byteSize() < 8) {
            engine.complete(op, -AioErrno.EINVAL);
            return;
        }
        long value = op.view.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
        if (value == -1L) {
            engine.complete(op, -AioErrno.EINVAL);
        } else if (value == 0 || add(value)) {
            engine.complete(op, 8);
            serve();
        } else {
            // A blocking eventfd write would wait for a read; the emulation does not block.
            engine.complete(op, -AioErrno.EAGAIN);
        }
    }

    private void serve() {
        wakeScheduled.set(false);
        while (!readers.isEmpty()) {
            long value = counter.getAndSet(0);
            if (value == 0) {
                break;
            }
            Op reader = readers.poll();
            reader.view.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value);
            engine.complete(reader, 8);
        }
        waiters = readers.size();
    }

    @Override
    public boolean cancel(Op op) {
        boolean removed = readers.remove(op);
        waiters = readers.size();
        return removed;
    }

    @Override
    void close(Runnable released) {
        markClosed();
        Op op;
        while ((op = readers.poll()) != null) {
            engine.complete(op, -AioErrno.ECANCELED);
        }
        waiters = 0;
        released.run();
    }
}
