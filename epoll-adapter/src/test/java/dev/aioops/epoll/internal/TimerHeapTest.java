package dev.aioops.epoll.internal;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class TimerHeapTest {

    private static Op timer(long token, long deadline) {
        Op op = new Op(null).init(Op.TIMEOUT, token, -1, null, (r, a) -> { });
        op.value = deadline;
        return op;
    }

    @Test
    void pollsInDeadlineThenTokenOrderAfterRandomRemovals() {
        TimerHeap heap = new TimerHeap();
        List<Op> model = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(7);
        for (long token = 1; token <= 5000; token++) {
            // Few distinct deadlines, so that ties are common and the token must break them.
            Op op = timer(token, Long.MAX_VALUE - 100 + random.nextInt(50));
            heap.add(op);
            model.add(op);
            if (random.nextInt(4) == 0) {
                Op victim = model.remove(random.nextInt(model.size()));
                heap.remove(victim);
                assertThat(victim.heapIndex).isEqualTo(-1);
            }
        }
        model.sort(Comparator.<Op>comparingLong(o -> o.value - Long.MAX_VALUE).thenComparingLong(o -> o.token));
        assertThat(heap.size()).isEqualTo(model.size());
        List<Op> polled = new ArrayList<>();
        Op op;
        while ((op = heap.poll()) != null) {
            polled.add(op);
        }
        assertThat(polled).containsExactlyElementsOf(model);
    }

    @Test
    void comparesDeadlinesAcrossNanoTimeOverflow() {
        TimerHeap heap = new TimerHeap();
        Op later = timer(1, Long.MIN_VALUE + 10);
        Op earlier = timer(2, Long.MAX_VALUE - 10);
        heap.add(later);
        heap.add(earlier);
        assertThat(heap.poll()).isSameAs(earlier);
        assertThat(heap.poll()).isSameAs(later);
        assertThat(heap.poll()).isNull();
    }
}
