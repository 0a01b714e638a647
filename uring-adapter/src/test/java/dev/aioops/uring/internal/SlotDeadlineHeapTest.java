package dev.aioops.uring.internal;

import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link SlotDeadlineHeap} against a sorted set, through random adds, removals and polls. */
class SlotDeadlineHeapTest {

    @Test
    void pollsInDueOrderThroughRandomAddsAndRemovals() {
        SplittableRandom random = new SplittableRandom(42);
        SlotDeadlineHeap heap = new SlotDeadlineHeap();
        long[] due = new long[5_000];
        long base = Long.MAX_VALUE - 1_000_000; // due times wrap around, as nanoTime values may
        TreeSet<Integer> expected = new TreeSet<>(
                Comparator.<Integer>comparingLong(s -> due[s] - base).thenComparing(s -> s));
        for (int step = 0; step < 200_000; step++) {
            int s = random.nextInt(due.length);
            int action = random.nextInt(3);
            if (action == 0 && !expected.contains(s)) {
                due[s] = base + random.nextLong(2_000_000);
                expected.add(s);
                heap.add(s, due[s]);
            } else if (action == 1) {
                expected.remove(s);
                heap.remove(s);
            } else if (!expected.isEmpty()) {
                long earliest = due[expected.first()];
                assertThat(heap.earliest()).isEqualTo(earliest);
                int polled = heap.poll();
                assertThat(due[polled]).isEqualTo(earliest);
                expected.remove(polled);
            }
            assertThat(heap.size()).isEqualTo(expected.size());
        }
    }
}
