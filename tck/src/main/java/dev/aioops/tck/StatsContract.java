package dev.aioops.tck;

import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AioOperations#stats()} and {@link AioGroup#stats()}: the counters move as operations run, and are exact
 * once the loop is quiet (a task passed through {@code execute} has run after the operations completed).
 * Subclasses say which adapter-specific counters their adapter keeps.
 */
public abstract class StatsContract extends AioContract {

    /** For subclasses. */
    protected StatsContract() {
    }

    /**
     * Whether the adapter runs a loop of its own and counts its turns and wake-ups (io_uring, epoll).
     *
     * @return {@code false} unless overridden
     */
    protected boolean countsTurns() {
        return false;
    }

    /**
     * Whether the adapter enters an io_uring of its own and counts enters and SQEs.
     *
     * @return {@code false} unless overridden
     */
    protected boolean countsRingEntries() {
        return false;
    }

    /** Waits until a task queued now has run on {@code on}'s loop: what the loop counted before is visible. */
    private static void quiesce(AioOperations on) {
        CountDownLatch ran = new CountDownLatch(1);
        on.execute(ran::countDown);
        try {
            assertThat(ran.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the loop ran a task").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Test
    @Timeout(60)
    void aNewInstanceNamesItsAdapterAndHasNothingInFlight() {
        quiesce(ops);
        AioStats s = ops.stats();
        assertThat(s.adapter()).isEqualTo(ops.adapterName());
        assertThat(s.inFlight()).isZero();
        assertThat(s.completed()).isEqualTo(s.submitted());
    }

    @Test
    @Timeout(60)
    void submittedAndCompletedCountEachOperationOnceAfterAQuiesce() {
        int[] pair = connectedPair();
        quiesce(ops);
        AioStats before = ops.stats();
        int rounds = 20;
        MemorySegment out = bytes("ping");
        MemorySegment in = arena.allocate(4);
        for (int i = 0; i < rounds; i++) {
            assertThat(call(c -> ops.write(pair[0], out, AioOperations.STREAM, null, c))).isEqualTo(4);
            assertThat(call(c -> ops.read(pair[1], in, AioOperations.STREAM, null, c))).isEqualTo(4);
            assertThat(call(c -> ops.timeout(0, null, c))).isZero();
        }
        quiesce(ops);
        AioStats after = ops.stats();
        assertThat(after.submitted() - before.submitted()).as("submitted").isEqualTo(3L * rounds);
        assertThat(after.completed() - before.completed()).as("completed").isEqualTo(3L * rounds);
        assertThat(after.inFlight()).isZero();
        if (countsTurns()) {
            assertThat(after.turns()).isGreaterThan(before.turns());
        } else {
            assertThat(after.turns()).isZero();
        }
        if (countsRingEntries()) {
            assertThat(after.enters()).isGreaterThan(before.enters());
            // Each write, read and timeout went to the kernel as at least one SQE.
            assertThat(after.sqes() - before.sqes()).isGreaterThanOrEqualTo(3L * rounds);
            assertThat(after.sqesPerEnter()).isGreaterThan(0);
        } else {
            assertThat(after.enters()).isZero();
            assertThat(after.sqes()).isZero();
            assertThat(after.cqOverflows()).isZero();
            assertThat(after.kernelWorkers()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void aPendingReadIsInFlightUntilItCompletes() {
        int[] pair = connectedPair();
        quiesce(ops);
        AioStats before = ops.stats();
        MemorySegment in = arena.allocate(4);
        AioCompletionRecorder<Object> read = recorder();
        ops.read(pair[1], in, AioOperations.STREAM, null, read);
        quiesce(ops);
        AioStats waiting = ops.stats();
        assertThat(waiting.inFlight()).isEqualTo(before.inFlight() + 1);
        assertThat(waiting.submitted()).isEqualTo(before.submitted() + 1);
        assertThat(waiting.completed()).isEqualTo(before.completed());
        assertThat(call(c -> ops.write(pair[0], bytes("pong"), AioOperations.STREAM, null, c))).isEqualTo(4);
        assertThat(read.await()).isEqualTo(4);
        quiesce(ops);
        AioStats after = ops.stats();
        assertThat(after.inFlight()).isZero();
        assertThat(after.completed()).isEqualTo(before.completed() + 2);
    }

    @Test
    @Timeout(60)
    void submissionsFromAnotherThreadWakeTheSleepingLoop() {
        quiesce(ops);
        AioStats before = ops.stats();
        for (int i = 0; i < 20; i++) {
            // Each call waits for its completion, after which the idle loop goes back to sleep; the pause gives it
            // the time to (a loop that had not yet slept 20 times in a row was seen in a full build), so that the
            // submissions find it asleep and wake it.
            java.util.concurrent.locks.LockSupport.parkNanos(2_000_000);
            assertThat(call(c -> ops.timeout(0, null, c))).isZero();
        }
        quiesce(ops);
        AioStats after = ops.stats();
        if (countsTurns()) {
            assertThat(after.wakeups()).isGreaterThan(before.wakeups());
        } else {
            assertThat(after.wakeups()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void statsStayReadableAfterClose() {
        assertThat(call(c -> ops.timeout(0, null, c))).isZero();
        ops.close();
        AioStats s = ops.stats();
        assertThat(s.completed()).isGreaterThanOrEqualTo(1);
        assertThat(s.inFlight()).isZero();
    }

    @Test
    @Timeout(60)
    void groupStatsSumTheMembers() {
        try (AioGroup g = provider().openGroup(config(), 2)) {
            int perMember = 10;
            for (AioOperations member : g.members()) {
                for (int i = 0; i < perMember; i++) {
                    AioCompletionRecorder<Object> r = new AioCompletionRecorder<>(member);
                    member.timeout(0, null, r);
                    assertThat(r.await()).isZero();
                }
                quiesce(member);
            }
            AioStats first = g.member(0).stats();
            AioStats second = g.member(1).stats();
            AioStats sum = g.stats();
            assertThat(sum.adapter()).isEqualTo(g.adapterName());
            assertThat(first.completed()).isGreaterThanOrEqualTo(perMember);
            assertThat(second.completed()).isGreaterThanOrEqualTo(perMember);
            assertThat(sum.submitted()).isEqualTo(first.submitted() + second.submitted());
            assertThat(sum.completed()).isEqualTo(first.completed() + second.completed());
            assertThat(sum.inFlight()).isZero();
        }
    }
}
