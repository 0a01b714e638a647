package dev.aioops.bench.suite;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The idle-memory table: medians per contender, and the goal judged on heap + native. */
class IdleMemoryTest {

    @Test
    void judgesAioopsReceivingAgainstOneKibAndNettysBestOnHeapPlusNative() {
        Map<String, List<double[]>> recorded = new LinkedHashMap<>();
        recorded.put("aioops uring receive", List.of(new double[] {200, 60, 300}, new double[] {230, 60, 350},
                new double[] {900, 60, 300}));
        recorded.put("Netty io_uring", List.of(new double[] {1300, 0, 250}));
        recorded.put("Netty io_uring buffer ring", List.of(new double[] {280, 0, 250}));
        String table = IdleMemory.table(recorded);
        assertThat(table).contains("| aioops uring receive | 230 | 60 | 290 | 260 … 960 | 300 |");
        assertThat(table).contains("Goal: aioops uring receive ≤ 1 KiB per idle connection (heap + native): 290 B — "
                + "met; ≤ Netty's best (Netty io_uring buffer ring, 280 B): missed");
    }

    @Test
    void missesTheGoalAboveOneKib() {
        Map<String, List<double[]>> recorded = new LinkedHashMap<>();
        recorded.put("aioops uring receive", List.<double[]>of(new double[] {1000, 100, 1100}));
        assertThat(IdleMemory.table(recorded)).contains("(heap + native): 1,100 B — missed\n");
    }

    @Test
    void isEmptyWhenNothingRan() {
        assertThat(IdleMemory.table(Map.of())).isEmpty();
    }
}
