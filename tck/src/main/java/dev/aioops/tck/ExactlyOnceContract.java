package dev.aioops.tck;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Exactly once: every accepted submission completes once, under load, when its handle is closed and when the
 * instance is closed, and nothing runs after {@link AioOperations#close()} returns.
 */
public abstract class ExactlyOnceContract extends AioContract {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final int ACCEPTED = 1;
    private static final int REFUSED = 2;

    /** For subclasses. */
    protected ExactlyOnceContract() {
    }

    private Path blockFile(int blocks) throws IOException {
        Path file = tempDir.resolve("blocks");
        byte[] content = new byte[blocks * 4096];
        for (int i = 0; i < content.length; i++) {
            content[i] = patternByte(i, 13);
        }
        Files.write(file, content);
        return file;
    }

    @Test
    @Timeout(120)
    void tenThousandMixedOperationsInFlightEachCompleteOnce() throws IOException {
        int timeouts = 4000;
        int fileReads = 3000;
        int eventfdReads = 2000;
        int cancelled = 1000;
        int total = timeouts + fileReads + eventfdReads + cancelled;
        int blocks = 256;
        int file = open(blockFile(blocks));
        int eventfds = 20;
        int[] efd = new int[eventfds];
        for (int i = 0; i < eventfds; i++) {
            efd[i] = eventfd(0);
        }
        MemorySegment fileBuffers = arena.allocate((long) fileReads * 4096, 4096);
        MemorySegment counters = arena.allocate((long) eventfdReads * 8, 8);
        AioCompletionTally tally = new AioCompletionTally(ops, total);

        // Groups of ten interleave the kinds, so that every kind is in flight at once.
        for (int g = 0; g < total / 10; g++) {
            int base = g * 10;
            for (int k = 0; k < 4; k++) {
                ops.timeout(TimeUnit.MICROSECONDS.toNanos(((base + k) % 7) * 300L), base + k, tally);
            }
            for (int k = 0; k < 3; k++) {
                int r = 3 * g + k;
                ops.read(file, fileBuffers.asSlice(r * 4096L, 4096), (r % blocks) * 4096L, base + 4 + k, tally);
            }
            for (int k = 0; k < 2; k++) {
                int e = 2 * g + k;
                ops.read(efd[e % eventfds], counters.asSlice(e * 8L, 8), AioOperations.STREAM, base + 7 + k, tally);
            }
            ops.cancel(ops.timeout(HOUR, base + 9, tally));
        }
        // Keep signalling until every eventfd read has taken a value; coalesced signals are fine.
        while (!tally.await(Duration.ofMillis(2))) {
            for (int h : efd) {
                ops.signal(h, 1);
            }
            assertThat(tally.duplicates()).isZero();
        }
        assertThat(tally.duplicates()).isZero();
        assertThat(tally.offLoop()).isZero();
        for (int i = 0; i < total; i++) {
            int kind = i % 10;
            int result = tally.result(i);
            if (kind < 4) {
                assertThat(result).as("timeout %d", i).isZero();
            } else if (kind < 7) {
                assertThat(result).as("file read %d", i).isEqualTo(4096);
            } else if (kind < 9) {
                assertThat(result).as("eventfd read %d", i).isEqualTo(8);
            } else {
                assertThat(result).as("cancelled timeout %d", i).isEqualTo(-AioErrno.ECANCELED);
            }
        }
        for (int r = 0; r < fileReads; r++) {
            long block = (r % blocks) * 4096L;
            assertThat(fileBuffers.get(ValueLayout.JAVA_BYTE, r * 4096L + 17)).isEqualTo(patternByte(block + 17, 13));
        }
    }

    @Test
    @Timeout(60)
    void closingAnEventfdWithReadsPendingCompletesEachOnce() {
        int h = eventfd(0);
        int reads = 10;
        AioCompletionTally tally = new AioCompletionTally(ops, reads);
        for (int i = 0; i < reads; i++) {
            ops.read(h, arena.allocate(8), AioOperations.STREAM, i, tally);
        }
        assertThat(call(c -> ops.close(h, null, c))).isZero();
        tally.await();
        assertThat(tally.duplicates()).isZero();
        for (int i = 0; i < reads; i++) {
            assertThat(tally.result(i)).isEqualTo(-AioErrno.ECANCELED);
        }
    }

    @Test
    @Timeout(60)
    void closingASocketWithReadsPendingCompletesEachOnce() {
        int[] pair = connectedPair();
        int reads = 5;
        AioCompletionTally tally = new AioCompletionTally(ops, reads);
        for (int i = 0; i < reads; i++) {
            ops.read(pair[1], arena.allocate(16), AioOperations.STREAM, i, tally);
        }
        assertThat(call(c -> ops.close(pair[1], null, c))).isZero();
        tally.await();
        assertThat(tally.duplicates()).isZero();
        for (int i = 0; i < reads; i++) {
            assertThat(tally.result(i)).isEqualTo(-AioErrno.ECANCELED);
        }
        assertThat(call(c -> ops.read(pair[1], arena.allocate(16), AioOperations.STREAM, null, c)))
                .isEqualTo(-AioErrno.EBADF);
    }

    @Test
    @Timeout(60)
    void closingTheInstanceCompletesEverythingInFlightOnceWithEcanceledBeforeCloseReturns() {
        int[] pair = connectedPair();
        int listener = listen();
        int efd = eventfd(0);
        int timeouts = 1000;
        int total = timeouts + 3;
        AioCompletionTally tally = new AioCompletionTally(ops, total);
        for (int i = 0; i < timeouts; i++) {
            ops.timeout(HOUR, i, tally);
        }
        ops.read(pair[1], arena.allocate(16), AioOperations.STREAM, timeouts, tally);
        ops.accept(listener, timeouts + 1, tally);
        ops.read(efd, arena.allocate(8), AioOperations.STREAM, timeouts + 2, tally);
        ops.close();
        tally.markClosed();
        assertThat(tally.pending()).as("completions still missing when close() returned").isZero();
        assertThat(tally.duplicates()).isZero();
        for (int i = 0; i < total; i++) {
            assertThat(tally.result(i)).as("operation %d", i).isEqualTo(-AioErrno.ECANCELED);
        }
        assertThat(tally.late()).isZero();
    }

    @Test
    @Timeout(60)
    void closingTheInstanceWithFileReadsInFlightCompletesEachOnce() throws IOException {
        int file = open(blockFile(64));
        int reads = 500;
        MemorySegment buffers = arena.allocate(reads * 4096L, 4096);
        AioCompletionTally tally = new AioCompletionTally(ops, reads);
        for (int i = 0; i < reads; i++) {
            ops.read(file, buffers.asSlice(i * 4096L, 4096), (i % 64) * 4096L, i, tally);
        }
        ops.close();
        tally.markClosed();
        assertThat(tally.pending()).isZero();
        assertThat(tally.duplicates()).isZero();
        for (int i = 0; i < reads; i++) {
            assertThat(tally.result(i)).isIn(4096, -AioErrno.ECANCELED);
        }
        assertThat(tally.late()).isZero();
    }

    @Test
    @Timeout(60)
    void closeIsIdempotentAlsoFromSeveralThreadsAtOnce() throws InterruptedException {
        AioCompletionRecorder<Object> pending = recorder();
        ops.timeout(HOUR, null, pending);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger failures = new AtomicInteger();
        Thread[] closers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            closers[t] = Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    ops.close();
                    if (!pending.isDone()) {
                        failures.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failures.incrementAndGet();
                }
            });
        }
        start.countDown();
        for (Thread t : closers) {
            t.join();
        }
        ops.close();
        assertThat(failures.get()).isZero();
        assertThat(pending.await()).isEqualTo(-AioErrno.ECANCELED);
    }

    @Test
    @Timeout(60)
    void closeFromInsideACompletionRunsTheRemainingCompletionsBeforeItReturns() throws InterruptedException {
        AioCompletionRecorder<Object> other = recorder();
        ops.timeout(HOUR, null, other);
        AtomicBoolean otherDoneWhenCloseReturned = new AtomicBoolean();
        AtomicBoolean submitAfterCloseThrew = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        ops.timeout(0, null, (r, a) -> {
            ops.close();
            otherDoneWhenCloseReturned.set(other.isDone());
            try {
                ops.timeout(0, null, (r2, a2) -> { });
            } catch (IllegalStateException expected) {
                submitAfterCloseThrew.set(true);
            }
            finished.countDown();
        });
        assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(otherDoneWhenCloseReturned.get()).isTrue();
        assertThat(submitAfterCloseThrew.get()).isTrue();
        assertThat(other.await()).isEqualTo(-AioErrno.ECANCELED);
        ops.close();
        assertThatThrownBy(() -> ops.execute(() -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Timeout(60)
    void closeFromInsideATaskWorks() throws InterruptedException {
        AioCompletionRecorder<Object> other = recorder();
        ops.timeout(HOUR, null, other);
        CountDownLatch finished = new CountDownLatch(1);
        ops.execute(() -> {
            ops.close();
            finished.countDown();
        });
        assertThat(finished.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(other.await()).isEqualTo(-AioErrno.ECANCELED);
    }

    @Test
    @Timeout(120)
    void submissionsRacingCloseEitherThrowOrCompleteOnceBeforeCloseReturns() throws Exception {
        int threads = 8;
        int perThread = 5000;
        AioCompletionTally tally = new AioCompletionTally(ops, threads * perThread);
        AtomicIntegerArray outcome = new AtomicIntegerArray(threads * perThread);
        CountDownLatch underWay = new CountDownLatch(threads);
        Thread[] submitters = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            submitters[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    int index = base + i;
                    try {
                        ops.timeout(i % 2 == 0 ? 0 : HOUR, index, tally);
                        outcome.set(index, ACCEPTED);
                    } catch (IllegalStateException closed) {
                        outcome.set(index, REFUSED);
                    }
                    if (i == 100) {
                        underWay.countDown();
                    }
                }
            });
        }
        assertThat(underWay.await(60, TimeUnit.SECONDS)).isTrue();
        ops.close();
        tally.markClosed();
        for (Thread t : submitters) {
            t.join();
        }
        int accepted = 0;
        for (int i = 0; i < tally.size(); i++) {
            assertThat(outcome.get(i)).as("outcome of submission %d", i).isIn(ACCEPTED, REFUSED);
            if (outcome.get(i) == ACCEPTED) {
                accepted++;
                assertThat(tally.calls(i)).as("completions of accepted submission %d", i).isEqualTo(1);
                assertThat(tally.result(i)).isIn(0, -AioErrno.ECANCELED);
            } else {
                assertThat(tally.calls(i)).as("completions of refused submission %d", i).isZero();
            }
        }
        assertThat(accepted).isGreaterThanOrEqualTo(threads * 101);
        assertThat(tally.late()).isZero();
        assertThat(tally.duplicates()).isZero();
    }

    @Test
    @Timeout(60)
    void tasksQueuedAtCloseStillRun() {
        int tasks = 1000;
        AtomicInteger ran = new AtomicInteger();
        for (int i = 0; i < tasks; i++) {
            ops.execute(ran::incrementAndGet);
        }
        ops.close();
        assertThat(ran.get()).isEqualTo(tasks);
    }
}
