package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/** The ring under pressure: CQ overflow, a full SQ, and submissions from many threads at once. */
@Timeout(120)
class UringRingStressTest {

    /** Counts each op's completions; a second completion of one op is recorded as a failure. */
    private static final class Tally implements AioCompletion<Integer> {
        final AtomicIntegerArray calls;
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger twice = new AtomicInteger();
        final CountDownLatch all;

        Tally(int n) {
            calls = new AtomicIntegerArray(n);
            all = new CountDownLatch(n);
        }

        @Override
        public void completed(int result, Integer op) {
            if (calls.incrementAndGet(op) != 1) {
                twice.incrementAndGet();
                return;
            }
            if (result < 0) {
                errors.incrementAndGet();
            }
            all.countDown();
        }

        void await() throws InterruptedException {
            assertThat(all.await(90, TimeUnit.SECONDS)).as("every op completed").isTrue();
            assertThat(twice.get()).as("ops completed twice").isZero();
            assertThat(errors.get()).as("ops failed").isZero();
        }
    }

    @Test
    void completionsBeyondTheCqAreKeptAndDelivered() throws Exception {
        int n = 5000;
        Tally tally = new Tally(n);
        // SQ 4, CQ 8: a batch of 5000 zero timeouts overflows the CQ many times over.
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().queueDepth(4).build(), 8)) {
            ops.execute(() -> {
                for (int i = 0; i < n; i++) {
                    ops.timeout(0, i, tally);
                }
            });
            tally.await();
            CountDownLatch seen = new CountDownLatch(1);
            AtomicLong flushes = new AtomicLong();
            ops.execute(() -> {
                flushes.set(ops.loop().driver().overflowFlushes());
                seen.countDown();
            });
            assertThat(seen.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(flushes.get()).as("the CQ overflowed and was flushed").isPositive();
        }
    }

    @Test
    void aFullSubmissionQueueIsFlushedNotDropped() throws Exception {
        int n = 20_000;
        Tally tally = new Tally(n);
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().queueDepth(2).build());
             Arena arena = Arena.ofShared()) {
            CountDownLatch fd = new CountDownLatch(1);
            AtomicInteger handle = new AtomicInteger();
            ops.eventfd(1, null, (r, a) -> {
                handle.set(r);
                fd.countDown();
            });
            assertThat(fd.await(30, TimeUnit.SECONDS)).isTrue();
            MemorySegment sink = arena.allocate(8L * n, 8);
            ops.execute(() -> {
                for (int i = 0; i < n; i++) {
                    if (i % 2 == 0) {
                        ops.timeout(0, i, tally);
                    } else {
                        ops.write(handle.get(), oneAt(sink, i), -1, i, tally);
                    }
                }
            });
            tally.await();
        }
    }

    private static MemorySegment oneAt(MemorySegment sink, int i) {
        MemorySegment value = sink.asSlice(8L * i, 8);
        value.set(JAVA_LONG, 0, 1L);
        return value;
    }

    @Test
    void submissionsFromManyThreadsAllCompleteOnce() throws Exception {
        int threads = 8;
        int perThread = 5000;
        int n = threads * perThread;
        Tally tally = new Tally(n);
        AtomicInteger tasks = new AtomicInteger();
        AtomicInteger offLoop = new AtomicInteger();
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().queueDepth(32).build())) {
            CountDownLatch go = new CountDownLatch(1);
            Thread[] producers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int base = t * perThread;
                producers[t] = new Thread(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        int op = base + i;
                        if (i % 3 == 0) {
                            long token = ops.timeout(60_000_000_000L, op, (r, a) -> {
                                if (r != -AioErrno.ECANCELED) {
                                    tally.errors.incrementAndGet();
                                }
                                tally.completed(0, a);
                            });
                            ops.cancel(token);
                        } else if (i % 3 == 1) {
                            ops.timeout(0, op, tally);
                        } else {
                            ops.execute(() -> {
                                if (!ops.inLoop()) {
                                    offLoop.incrementAndGet();
                                }
                                tasks.incrementAndGet();
                                tally.completed(0, op);
                            });
                        }
                    }
                });
                producers[t].start();
            }
            go.countDown();
            for (Thread p : producers) {
                p.join();
            }
            tally.await();
            assertThat(offLoop.get()).isZero();
            assertThat(tasks.get()).isEqualTo(threads * (perThread / 3));
        }
    }

    @Test
    void closeWithManyOpsInFlightCompletesEachOnceWithCancelled() throws Exception {
        int n = 3000;
        Tally tally = new Tally(n);
        AtomicInteger cancelled = new AtomicInteger();
        UringAioOperations ops = UringAioOperations.open(AioConfig.builder().queueDepth(16).build());
        for (int i = 0; i < n; i++) {
            ops.timeout(60_000_000_000L, i, (r, a) -> {
                if (r == -AioErrno.ECANCELED) {
                    cancelled.incrementAndGet();
                }
                tally.completed(0, a);
            });
        }
        ops.close();
        assertThat(tally.all.getCount()).isZero();
        assertThat(cancelled.get()).isEqualTo(n);
        assertThat(tally.twice.get()).isZero();
    }

    @Test
    void aSleepingLoopIsWokenForEveryMessage() throws Exception {
        // Ping-pong: the loop goes to sleep between messages, so each one exercises the wake-up handshake; a lost
        // wake-up hangs the exchange and fails the test on its timeout.
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults())) {
            for (int i = 0; i < 20_000; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                if (i % 2 == 0) {
                    ops.execute(ran::countDown);
                } else {
                    ops.timeout(0, null, (r, a) -> ran.countDown());
                }
                assertThat(ran.await(30, TimeUnit.SECONDS)).as("message %d ran", i).isTrue();
            }
        }
    }

    @Test
    void signalsRacingACloseNeverReachTheDescriptorThatReusesItsNumber(@org.junit.jupiter.api.io.TempDir
                                                                         java.nio.file.Path dir) throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults())) {
            for (int round = 0; round < 20; round++) {
                Results ev = new Results();
                ops.eventfd(0, null, ev);
                int handle = ev.await();
                java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
                Thread[] signallers = new Thread[3];
                for (int t = 0; t < signallers.length; t++) {
                    signallers[t] = new Thread(() -> {
                        while (!stop.get()) {
                            ops.signal(handle, 1);
                        }
                    });
                    signallers[t].start();
                }
                Results closed = new Results();
                ops.close(handle, null, closed);
                assertThat(closed.await()).isZero();
                // The next descriptor this process opens is very likely to get the same number.
                java.nio.file.Path file = dir.resolve("reuse-" + round);
                Results opened = new Results();
                ops.open(file, java.util.EnumSet.of(dev.aioops.spi.AioOpenOption.WRITE,
                        dev.aioops.spi.AioOpenOption.CREATE), null, opened);
                int fd = opened.await();
                assertThat(fd).isPositive();
                for (int i = 0; i < 1000; i++) {
                    assertThat(ops.signal(fd, 1)).isFalse();
                }
                stop.set(true);
                for (Thread t : signallers) {
                    t.join();
                }
                assertThat(java.nio.file.Files.size(file)).as("bytes written into the reused descriptor").isZero();
                Results c = new Results();
                ops.close(fd, null, c);
                c.await();
            }
        }
    }
}
