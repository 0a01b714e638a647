package dev.aioops.tck;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Threads: completions and tasks run on the loop, one thread, one at a time; any thread may submit; tasks keep
 * their order per producer; a completion may run before its submitting call returns.
 */
public abstract class ThreadingContract extends AioContract {

    /** For subclasses. */
    protected ThreadingContract() {
    }

    @Test
    @Timeout(60)
    void completionsOfEveryKindRunOnTheSameLoopThread() throws IOException, InterruptedException {
        Path file = tempDir.resolve("t");
        Files.writeString(file, "threads");
        List<AioCompletionRecorder<Object>> recorders = new ArrayList<>();
        int h = open(file);
        int efd = eventfd(1);
        for (int i = 0; i < 3; i++) {
            AioCompletionRecorder<Object> t = recorder();
            ops.timeout(0, null, t);
            AioCompletionRecorder<Object> r = recorder();
            ops.read(h, arena.allocate(4), 0, null, r);
            recorders.add(t);
            recorders.add(r);
        }
        AioCompletionRecorder<Object> e = recorder();
        ops.read(efd, arena.allocate(8), AioOperations.STREAM, null, e);
        recorders.add(e);
        AtomicReference<Thread> taskThread = new AtomicReference<>();
        CountDownLatch taskRan = new CountDownLatch(1);
        ops.execute(() -> {
            taskThread.set(ops.inLoop() ? Thread.currentThread() : null);
            taskRan.countDown();
        });
        assertThat(taskRan.await(30, TimeUnit.SECONDS)).isTrue();
        Thread loop = taskThread.get();
        assertThat(loop).as("the task ran on the loop").isNotNull().isNotSameAs(Thread.currentThread());
        for (AioCompletionRecorder<Object> r : recorders) {
            assertThat(r.await()).isGreaterThanOrEqualTo(0);
            assertThat(r.ranInLoop()).isTrue();
            assertThat(r.thread()).isSameAs(loop);
        }
        assertThat(ops.inLoop()).isFalse();
    }

    @Test
    @Timeout(60)
    void completionsNeverRunConcurrently() {
        int count = 5000;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AioCompletionTally tally = new AioCompletionTally(ops, count);
        AioCompletion<Integer> check = (r, i) -> {
            if (running.incrementAndGet() != 1) {
                overlaps.incrementAndGet();
            }
            tally.completed(r, i);
            running.decrementAndGet();
        };
        int eventfds = 50;
        int[] efd = new int[eventfds];
        for (int e = 0; e < eventfds; e++) {
            efd[e] = eventfd(0);
        }
        for (int i = 0; i < count; i++) {
            if (i % 2 == 0) {
                ops.timeout(0, i, check);
            } else {
                ops.read(efd[i % eventfds], arena.allocate(8), AioOperations.STREAM, i, check);
            }
        }
        // Each round of signals completes one pending read per eventfd (coalesced signals are fine).
        while (!tally.await(java.time.Duration.ofMillis(1))) {
            for (int h : efd) {
                ops.signal(h, 1);
            }
        }
        assertThat(overlaps.get()).isZero();
        assertThat(tally.duplicates()).isZero();
    }

    @Test
    @Timeout(120)
    void submissionsFromEightThreadsAtOnceAllComplete() throws Exception {
        int threads = 8;
        int perThread = 1000;
        AioCompletionTally tally = new AioCompletionTally(ops, threads * perThread);
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            submitters.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perThread; i++) {
                    ops.timeout(i % 3 == 0 ? 0 : 100_000, base + i, tally);
                }
            }));
        }
        for (Thread t : submitters) {
            t.join();
        }
        tally.await();
        assertThat(tally.duplicates()).isZero();
        assertThat(tally.offLoop()).isZero();
        for (int i = 0; i < tally.size(); i++) {
            assertThat(tally.result(i)).isZero();
        }
    }

    @Test
    @Timeout(120)
    void tasksFromOtherThreadsRunOnceEachInOrderPerProducer() throws Exception {
        int producers = 8;
        int perProducer = 5000;
        int[] lastSeen = new int[producers];
        java.util.Arrays.fill(lastSeen, -1);
        AtomicInteger outOfOrder = new AtomicInteger();
        AtomicInteger offLoop = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(producers * perProducer);
        CyclicBarrier start = new CyclicBarrier(producers);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < perProducer; i++) {
                    int seq = i;
                    ops.execute(() -> {
                        // Confined to the loop: plain array access is safe if the contract holds.
                        if (lastSeen[producer] != seq - 1) {
                            outOfOrder.incrementAndGet();
                        }
                        lastSeen[producer] = seq;
                        if (!ops.inLoop()) {
                            offLoop.incrementAndGet();
                        }
                        all.countDown();
                    });
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(all.await(60, TimeUnit.SECONDS)).isTrue();
        assertThat(outOfOrder.get()).isZero();
        assertThat(offLoop.get()).isZero();
        CountDownLatch read = new CountDownLatch(1);
        int[] snapshot = new int[producers];
        ops.execute(() -> {
            System.arraycopy(lastSeen, 0, snapshot, 0, producers);
            read.countDown();
        });
        assertThat(read.await(30, TimeUnit.SECONDS)).isTrue();
        for (int p = 0; p < producers; p++) {
            assertThat(snapshot[p]).isEqualTo(perProducer - 1);
        }
    }

    @Test
    @Timeout(60)
    void aLibraryStateMachineCopesWithCompletionsBeforeTheSubmitReturns() throws InterruptedException {
        // From the test thread: the completion may come before or after read() returns.
        TolerantReader outside = new TolerantReader(ops);
        outside.start(987_654, arena.allocate(8));
        assertThat(outside.awaitFinished()).isEqualTo(-AioErrno.EBADF);
        assertThat(outside.consistent()).isTrue();
        // On the loop: many adapters complete an early error inside the call.
        TolerantReader inside = new TolerantReader(ops);
        MemorySegment buffer = arena.allocate(8);
        ops.execute(() -> inside.start(987_654, buffer));
        assertThat(inside.awaitFinished()).isEqualTo(-AioErrno.EBADF);
        assertThat(inside.consistent()).isTrue();
    }

    @Test
    @Timeout(60)
    void inLoopIsTrueOnlyOnTheLoop() throws InterruptedException {
        assertThat(ops.inLoop()).isFalse();
        AtomicReference<Boolean> inTask = new AtomicReference<>();
        CountDownLatch ran = new CountDownLatch(1);
        ops.execute(() -> {
            inTask.set(ops.inLoop());
            ran.countDown();
        });
        assertThat(ran.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(inTask.get()).isTrue();
        Thread other = Thread.ofPlatform().start(() -> inTask.set(ops.inLoop()));
        other.join();
        assertThat(inTask.get()).isFalse();
    }

    /**
     * A library-style reader that follows the rule the contract asks of libraries: all state a completion
     * needs is set up before submitting, and the code after the submit call does not assume the operation is
     * still pending.
     */
    private static final class TolerantReader implements AioCompletion<Object> {
        private final AioOperations ops;
        private final CountDownLatch finished = new CountDownLatch(1);
        private final AtomicInteger completions = new AtomicInteger();
        private volatile String state = "idle";
        private volatile int result;
        private volatile boolean inconsistent;

        TolerantReader(AioOperations ops) {
            this.ops = ops;
        }

        void start(int handle, MemorySegment buffer) {
            state = "reading";
            long token = ops.read(handle, buffer, AioOperations.STREAM, null, this);
            if (token == 0) {
                inconsistent = true;
            }
            // Only move to "waiting" if the completion has not already moved the machine on.
            synchronized (this) {
                if (state.equals("reading")) {
                    state = "waiting";
                }
            }
        }

        @Override
        public void completed(int result, Object attachment) {
            if (completions.incrementAndGet() != 1) {
                inconsistent = true;
            }
            synchronized (this) {
                if (!state.equals("reading") && !state.equals("waiting")) {
                    inconsistent = true;
                }
                this.result = result;
                state = "failed";
            }
            finished.countDown();
        }

        int awaitFinished() throws InterruptedException {
            if (!finished.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the reader never finished");
            }
            return result;
        }

        boolean consistent() {
            synchronized (this) {
                return !inconsistent && state.equals("failed") && completions.get() == 1;
            }
        }
    }
}
