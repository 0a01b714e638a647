package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.uring.ring.UringLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the loop enters the kernel: through a registered ring fd where the kernel has one, and not at all on a busy
 * turn that has nothing to submit and no task work flagged, without leaving a completion unreaped.
 */
@Timeout(60)
class UringRingEnterTest {

    private static final AioConfig HOST = AioConfig.builder().threading(AioConfig.Threading.HOST_DRIVEN).build();

    @AfterEach
    void clearProperties() {
        System.clearProperty(RingDriver.REGISTER_RING_FD_PROPERTY);
        System.clearProperty(RingDriver.SKIP_IDLE_ENTER_PROPERTY);
    }

    private static Ring ring(UringAioOperations ops) {
        return ops.loop().resources().ring();
    }

    /** Runs on the loop and returns what it computed. */
    private static <T> T onLoop(UringAioOperations ops, Supplier<T> what) {
        CompletableFuture<T> f = new CompletableFuture<>();
        ops.execute(() -> f.complete(what.get()));
        return f.orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Test
    void theLoopEntersThroughARegisteredRingFd() {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults())) {
            assertThat(onLoop(ops, () -> ring(ops).ringFdRegistered())).as("registered (Linux 5.18+)").isTrue();
            Results r = new Results();
            ops.timeout(1_000_000, null, r);
            assertThat(r.await()).isZero();
        }
    }

    @Test
    void thePropertyTurnsTheRegisteredRingFdOff() {
        System.setProperty(RingDriver.REGISTER_RING_FD_PROPERTY, "false");
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults())) {
            assertThat(onLoop(ops, () -> ring(ops).ringFdRegistered())).isFalse();
            Results r = new Results();
            ops.timeout(1_000_000, null, r);
            assertThat(r.await()).isZero();
        }
    }

    /** Runs on a new thread: registered ring fds are per thread, and the test runner's thread may hold some. */
    private static void onFreshThread(Runnable body) throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        Thread.ofPlatform().start(() -> {
            try {
                body.run();
                f.complete(null);
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            f.get(50, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error err) {
                throw err; // the assertion that failed on the thread
            }
            throw e;
        }
    }

    @Test
    void aThreadOutOfRegisteredSlotsFallsBackToTheFd() throws Exception {
        onFreshThread(UringRingEnterTest::twentyRingsOnOneThread);
    }

    private static void twentyRingsOnOneThread() {
        // The kernel keeps 16 registered ring fds per thread: one host thread driving 20 rings runs out.
        List<UringAioOperations> all = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                UringAioOperations ops = UringAioOperations.open(HOST);
                all.add(ops);
                ops.runOnce(0);
            }
            assertThat(all.stream().filter(o -> ring(o).ringFdRegistered()).count()).isEqualTo(16);
            for (UringAioOperations ops : all) {
                Results r = new Results();
                ops.timeout(1_000, null, r);
                while (!r.isDone()) {
                    ops.runOnce(10_000_000);
                }
                assertThat(r.await()).isZero();
            }
        } finally {
            all.forEach(UringAioOperations::close);
        }
    }

    @Test
    void closeGivesTheRegisteredSlotBack() throws Exception {
        // Without the unregister at close, the 17th ring driven by this thread would find no free slot.
        onFreshThread(() -> {
            for (int i = 0; i < 40; i++) {
                try (UringAioOperations ops = UringAioOperations.open(HOST)) {
                    ops.runOnce(0);
                    assertThat(ring(ops).ringFdRegistered()).as("ring %d", i).isTrue();
                }
            }
        });
    }

    /** A chain of tasks, each queued by the one before: every turn is busy and has nothing to submit. */
    private static long[] entersOverBusyTurns(UringAioOperations ops, int turns) {
        CompletableFuture<long[]> f = new CompletableFuture<>();
        Ring ring = ring(ops);
        RingDriver driver = ops.loop().driver();
        ops.execute(() -> {
            long enters = ring.enters();
            long skipped = driver.skippedEnters();
            AtomicInteger left = new AtomicInteger(turns);
            Runnable step = new Runnable() {
                @Override
                public void run() {
                    if (left.decrementAndGet() > 0) {
                        ops.execute(this);
                    } else {
                        f.complete(new long[]{ring.enters() - enters, driver.skippedEnters() - skipped});
                    }
                }
            };
            ops.execute(step);
        });
        return f.orTimeout(30, TimeUnit.SECONDS).join();
    }

    @Test
    void aBusyTurnWithNothingForTheKernelSkipsTheEnter() {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults())) {
            assertThat(ring(ops).setupFlags() & UringLayout.SETUP_TASKRUN_FLAG).isNotZero();
            long[] counts = entersOverBusyTurns(ops, 2000);
            assertThat(counts[0]).as("enters over 2000 busy turns").isLessThan(200);
            assertThat(counts[1]).as("enters skipped").isGreaterThan(1800);
        }
    }

    @Test
    void thePropertyMakesEveryBusyTurnEnter() {
        System.setProperty(RingDriver.SKIP_IDLE_ENTER_PROPERTY, "false");
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults())) {
            long[] counts = entersOverBusyTurns(ops, 2000);
            assertThat(counts[0]).as("enters over 2000 busy turns").isGreaterThanOrEqualTo(1990);
            assertThat(counts[1]).isZero();
        }
    }

    @Test
    void aRingWithoutTheTaskrunFlagEntersOnEveryBusyTurn() {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults(), 0, new int[]{0})) {
            long[] counts = entersOverBusyTurns(ops, 500);
            assertThat(counts[0]).isGreaterThanOrEqualTo(490);
            assertThat(counts[1]).isZero();
        }
    }

    @Test
    void aLoopThatNeverSleepsStillReapsEveryCompletion() {
        // The loop stays busy (a task chain) until every timer has completed: it never waits in the kernel, so
        // each completion (task work, as DEFER_TASKRUN makes it) must be run by an enter the flags asked for. A
        // busy turn that skipped an enter while IORING_SQ_TASKRUN was set would leave timers unreaped.
        int timers = 2000;
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults())) {
            CompletableFuture<long[]> f = new CompletableFuture<>();
            ops.execute(() -> {
                AtomicInteger completed = new AtomicInteger();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                for (int i = 0; i < timers; i++) {
                    ops.timeout(1_000 + i * 20_000L, null, (res, a) -> completed.incrementAndGet());
                }
                Runnable spin = new Runnable() {
                    @Override
                    public void run() {
                        if (completed.get() == timers || System.nanoTime() > deadline) {
                            f.complete(new long[]{completed.get()});
                        } else {
                            ops.execute(this);
                        }
                    }
                };
                ops.execute(spin);
            });
            long[] r = f.orTimeout(30, TimeUnit.SECONDS).join();
            assertThat(r[0]).as("timers completed while the loop never slept").isEqualTo(timers);
        }
    }
}
