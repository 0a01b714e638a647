package dev.aioops.tck;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Timeouts: they fire, not early, in deadline order, and in submission order for equal delays.
 */
public abstract class TimeoutContract extends AioContract {

    /** For subclasses. */
    protected TimeoutContract() {
    }

    @Test
    @Timeout(60)
    void aTimeoutFiresWithZero() {
        assertThat(call(c -> ops.timeout(TimeUnit.MILLISECONDS.toNanos(5), null, c))).isZero();
    }

    @Test
    @Timeout(60)
    void aZeroTimeoutFires() {
        assertThat(call(c -> ops.timeout(0, null, c))).isZero();
    }

    @Test
    @Timeout(60)
    void aTimeoutDoesNotFireEarly() {
        long delay = TimeUnit.MILLISECONDS.toNanos(50);
        long start = System.nanoTime();
        assertThat(call(c -> ops.timeout(delay, null, c))).isZero();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(delay);
    }

    @Test
    @Timeout(60)
    void timeoutsFireInDeadlineOrder() {
        List<Integer> order = new CopyOnWriteArrayList<>();
        AioCompletionTally tally = new AioCompletionTally(ops, 3);
        int[] delaysMs = {300, 20, 160};
        for (int i = 0; i < delaysMs.length; i++) {
            ops.timeout(TimeUnit.MILLISECONDS.toNanos(delaysMs[i]), i, (r, index) -> {
                order.add(index);
                tally.completed(r, index);
            });
        }
        tally.await();
        assertThat(order).containsExactly(1, 2, 0);
    }

    @Test
    @Timeout(60)
    void timeoutsWithTheSameDelayFireInSubmissionOrder() {
        int count = 200;
        List<Integer> order = new CopyOnWriteArrayList<>();
        AioCompletionTally tally = new AioCompletionTally(ops, count);
        long delay = TimeUnit.MILLISECONDS.toNanos(20);
        ops.execute(() -> {
            for (int i = 0; i < count; i++) {
                ops.timeout(delay, i, (r, index) -> {
                    order.add(index);
                    tally.completed(r, index);
                });
            }
        });
        tally.await();
        assertThat(tally.duplicates()).isZero();
        assertThat(order).isSorted().hasSize(count);
    }

    @Test
    @Timeout(60)
    void aCompletionCanChainTimeouts() {
        int links = 50;
        AioCompletionRecorder<Object> done = recorder();
        new Object() {
            int left = links;

            void next() {
                ops.timeout(0, null, (r, a) -> {
                    if (r != 0 || --left == 0) {
                        done.completed(r, null);
                    } else {
                        next();
                    }
                });
            }
        }.next();
        assertThat(done.await()).isZero();
        assertThat(done.ranInLoop()).isTrue();
    }

    @Test
    @Timeout(60)
    void aNegativeDelayIsRejected() {
        assertThatThrownBy(() -> ops.timeout(-1, null, (r, a) -> { }))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
