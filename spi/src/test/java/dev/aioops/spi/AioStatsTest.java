package dev.aioops.spi;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AioStatsTest {

    @Test
    void ratiosAreZeroBeforeAnyWorkAndMeansAfter() {
        assertThat(AioStats.empty("x").sqesPerEnter()).isZero();
        assertThat(AioStats.empty("x").completionsPerTurn()).isZero();
        AioStats s = new AioStats("uring", 10, 8, 2, 4, 5, 15, 0, 1, 0);
        assertThat(s.sqesPerEnter()).isEqualTo(3.0);
        assertThat(s.completionsPerTurn()).isEqualTo(2.0);
    }

    @Test
    void aSumAddsEveryCounter() {
        AioStats a = new AioStats("uring", 1, 2, 3, 4, 5, 6, 7, 8, 9);
        AioStats b = new AioStats("uring", 10, 20, 30, 40, 50, 60, 70, 80, 90);
        assertThat(AioStats.sum("uring", List.of(a, b)))
                .isEqualTo(new AioStats("uring", 11, 22, 33, 44, 55, 66, 77, 88, 99));
        assertThat(AioStats.sum("epoll", List.of())).isEqualTo(AioStats.empty("epoll"));
    }

    @Test
    void negativeCountersAndANullAdapterAreRefused() {
        assertThatThrownBy(() -> new AioStats("x", -1, 0, 0, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AioStats("x", 0, 0, 0, 0, 0, 0, 0, 0, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AioStats(null, 0, 0, 0, 0, 0, 0, 0, 0, 0))
                .isInstanceOf(NullPointerException.class);
    }
}
