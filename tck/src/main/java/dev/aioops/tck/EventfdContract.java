package dev.aioops.tck;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Eventfds: Linux counter semantics (signals and 8-byte writes add, an 8-byte read takes the sum and resets it)
 * and the thread safety of {@link AioOperations#signal}.
 */
public abstract class EventfdContract extends AioContract {

    /** For subclasses. */
    protected EventfdContract() {
    }

    private MemorySegment counter() {
        return arena.allocate(ValueLayout.JAVA_LONG);
    }

    private long readCounter(int h) {
        MemorySegment buf = counter();
        assertThat(call(c -> ops.read(h, buf, AioOperations.STREAM, null, c))).isEqualTo(8);
        return buf.get(ValueLayout.JAVA_LONG, 0);
    }

    @Test
    @Timeout(60)
    void signalsAddUpAndAReadTakesTheSumAndResets() {
        int h = eventfd(0);
        assertThat(ops.signal(h, 3)).isTrue();
        assertThat(ops.signal(h, 4)).isTrue();
        assertThat(readCounter(h)).isEqualTo(7);
        assertThat(ops.signal(h, 1)).isTrue();
        assertThat(readCounter(h)).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void theInitialValueIsReadable() {
        int h = eventfd(42);
        assertThat(readCounter(h)).isEqualTo(42);
    }

    @Test
    @Timeout(60)
    void aPendingReadCompletesWhenAnotherThreadSignals() throws InterruptedException {
        int h = eventfd(0);
        MemorySegment buf = counter();
        AioCompletionRecorder<Object> read = recorder();
        ops.read(h, buf, AioOperations.STREAM, null, read);
        Thread signaller = Thread.ofPlatform().start(() -> ops.signal(h, 5));
        assertThat(read.await()).isEqualTo(8);
        signaller.join();
        assertThat(buf.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(5);
        assertThat(read.ranInLoop()).isTrue();
    }

    @Test
    @Timeout(60)
    void anEightByteWriteAddsItsValue() {
        int h = eventfd(1);
        MemorySegment value = counter();
        value.set(ValueLayout.JAVA_LONG, 0, 9);
        assertThat(call(c -> ops.write(h, value, AioOperations.STREAM, null, c))).isEqualTo(8);
        assertThat(readCounter(h)).isEqualTo(10);
    }

    @Test
    @Timeout(60)
    void readsQueueUpAndEachTakesOneBatch() {
        int h = eventfd(0);
        MemorySegment first = counter();
        MemorySegment second = counter();
        AioCompletionRecorder<Object> r1 = recorder();
        AioCompletionRecorder<Object> r2 = recorder();
        ops.read(h, first, AioOperations.STREAM, null, r1);
        ops.read(h, second, AioOperations.STREAM, null, r2);
        assertThat(ops.signal(h, 2)).isTrue();
        // Whichever read took the 2, the other is still waiting: the counter was reset.
        AioCompletionRecorder<Object> taker = awaitEither(r1, r2);
        assertThat(taker.result()).isEqualTo(8);
        AioCompletionRecorder<Object> waiter = taker == r1 ? r2 : r1;
        assertThat(ops.signal(h, 3)).isTrue();
        assertThat(waiter.await()).isEqualTo(8);
        long a = first.get(ValueLayout.JAVA_LONG, 0);
        long b = second.get(ValueLayout.JAVA_LONG, 0);
        assertThat(List.of(a, b)).containsExactlyInAnyOrder(2L, 3L);
    }

    private static AioCompletionRecorder<Object> awaitEither(AioCompletionRecorder<Object> r1,
                                                             AioCompletionRecorder<Object> r2) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (r1.isDone()) {
                assertThat(r2.isDone()).as("both reads completed after one signal").isFalse();
                return r1;
            }
            if (r2.isDone()) {
                return r2;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("no read completed");
    }

    @Test
    @Timeout(120)
    void signalsFromEightThreadsAtOnceLoseNothing() throws Exception {
        int h = eventfd(0);
        int threads = 8;
        int perThread = 20_000;
        long expected = (long) threads * perThread;
        AtomicLong sum = new AtomicLong();
        AioCompletionRecorder<Object> done = recorder();
        new Accumulate(ops, h, counter(), expected, sum, done).next();
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> signallers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            signallers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perThread; i++) {
                    if (!ops.signal(h, 1)) {
                        throw new IllegalStateException("signal refused");
                    }
                }
            }));
        }
        for (Thread t : signallers) {
            t.join();
        }
        assertThat(done.await()).isZero();
        assertThat(sum.get()).isEqualTo(expected);
    }

    @Test
    @Timeout(60)
    void signalOnAFileHandleReturnsFalse() throws IOException {
        Path file = tempDir.resolve("f");
        Files.writeString(file, "f");
        int h = open(file);
        assertThat(ops.signal(h, 1)).isFalse();
    }

    @Test
    @Timeout(60)
    void signalOnAClosedOrUnknownHandleReturnsFalse() {
        int h = eventfd(0);
        assertThat(call(c -> ops.close(h, null, c))).isZero();
        assertThat(ops.signal(h, 1)).isFalse();
        assertThat(ops.signal(123_456, 1)).isFalse();
        assertThat(ops.signal(-1, 1)).isFalse();
    }

    @Test
    @Timeout(60)
    void signalThatWouldOverflowTheCounterReturnsFalseAndChangesNothing() {
        int h = eventfd(0);
        // Two of the largest signal amounts make exactly the largest counter value, 0xfffffffffffffffe.
        assertThat(ops.signal(h, Long.MAX_VALUE)).isTrue();
        assertThat(ops.signal(h, Long.MAX_VALUE)).isTrue();
        assertThat(ops.signal(h, 1)).isFalse();
        assertThat(readCounter(h)).isEqualTo(0xffff_ffff_ffff_fffeL);
        assertThat(ops.signal(h, 1)).isTrue();
        assertThat(readCounter(h)).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void readIntoLessThanEightBytesGivesEinval() {
        int h = eventfd(1);
        assertThat(call(c -> ops.read(h, arena.allocate(4), AioOperations.STREAM, null, c)))
                .isEqualTo(-AioErrno.EINVAL);
        assertThat(readCounter(h)).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void signalRejectsAmountsBelowOne() {
        int h = eventfd(0);
        assertThatThrownBy(() -> ops.signal(h, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.signal(h, -5)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Reads an eventfd again and again until the sum of what it read reaches a target. */
    private static final class Accumulate implements AioCompletion<Object> {
        private final AioOperations ops;
        private final int handle;
        private final MemorySegment buffer;
        private final long target;
        private final AtomicLong sum;
        private final AioCompletion<Object> done;

        Accumulate(AioOperations ops, int handle, MemorySegment buffer, long target, AtomicLong sum,
                   AioCompletion<Object> done) {
            this.ops = ops;
            this.handle = handle;
            this.buffer = buffer;
            this.target = target;
            this.sum = sum;
            this.done = done;
        }

        void next() {
            ops.read(handle, buffer, AioOperations.STREAM, null, this);
        }

        @Override
        public void completed(int result, Object attachment) {
            if (result != 8) {
                done.completed(result < 0 ? result : -AioErrno.EIO, null);
                return;
            }
            if (sum.addAndGet(buffer.get(ValueLayout.JAVA_LONG, 0)) >= target) {
                done.completed(0, null);
            } else {
                next();
            }
        }
    }
}
