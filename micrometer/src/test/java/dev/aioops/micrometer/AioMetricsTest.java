package dev.aioops.micrometer;

import dev.aioops.epoll.EpollAioProvider;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.uring.UringAioProvider;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class AioMetricsTest {

    private static final AioConfig CONFIG = AioConfig.builder().buffers(0, 4096).build();

    /** Runs {@code n} zero timeouts one after the other, then waits until a task has run after them. */
    private static void runTimeouts(AioOperations ops, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            CompletableFuture<Integer> done = new CompletableFuture<>();
            AioCompletion<Object> c = (r, a) -> done.complete(r);
            ops.timeout(0, null, c);
            assertThat(done.get(30, TimeUnit.SECONDS)).isZero();
        }
        CompletableFuture<Void> quiet = new CompletableFuture<>();
        ops.execute(() -> quiet.complete(null));
        quiet.get(30, TimeUnit.SECONDS);
    }

    @Test
    @Timeout(60)
    void anInstancesCountersAndGaugesFollowItsStats() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AioOperations ops = new EpollAioProvider().open(CONFIG)) {
            AioMetrics.of(ops).snapshotEvery(Duration.ZERO).tags(Tags.of("name", "test")).bindTo(registry);
            runTimeouts(ops, 25);
            double completed = registry.get("aioops.operations.completed").tags("adapter", "epoll", "name", "test")
                    .functionCounter().count();
            assertThat(completed).isEqualTo(ops.stats().completed()).isGreaterThanOrEqualTo(25);
            assertThat(registry.get("aioops.operations.submitted").functionCounter().count()).isEqualTo(completed);
            assertThat(registry.get("aioops.operations.inflight").gauge().value()).isZero();
            assertThat(registry.get("aioops.loop.turns").functionCounter().count()).isPositive();
            assertThat(registry.get("aioops.uring.enters").functionCounter().count()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void aGroupsMembersAreTaggedByIndexAndSumToTheGroup() throws Exception {
        AioProvider uring = new UringAioProvider();
        assumeTrue(uring.isAvailable(), () -> "io_uring is not available: " + uring.unavailabilityCause());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AioGroup group = uring.openGroup(CONFIG, 2)) {
            AioMetrics.of(group).snapshotEvery(Duration.ZERO).bindTo(registry);
            runTimeouts(group.member(0), 5);
            runTimeouts(group.member(1), 12);
            double first = registry.get("aioops.operations.completed").tags("adapter", "uring", "member", "0")
                    .functionCounter().count();
            double second = registry.get("aioops.operations.completed").tags("member", "1").functionCounter().count();
            assertThat(first).isGreaterThanOrEqualTo(5);
            assertThat(second).isGreaterThanOrEqualTo(12);
            assertThat(first + second).isEqualTo(group.stats().completed());
            assertThat(registry.get("aioops.uring.enters").tags("member", "1").functionCounter().count())
                    .isPositive();
            assertThat(registry.get("aioops.uring.sqes").tags("member", "1").functionCounter().count())
                    .isGreaterThanOrEqualTo(12);
        }
    }

    @Test
    @Timeout(60)
    void aSnapshotIsSharedByTheMetersOfAnInstanceWithinTheInterval() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (AioOperations ops = new EpollAioProvider().open(CONFIG)) {
            AioMetrics.of(ops).snapshotEvery(Duration.ofHours(1)).bindTo(registry);
            double before = registry.get("aioops.operations.completed").functionCounter().count();
            runTimeouts(ops, 3);
            assertThat(registry.get("aioops.operations.completed").functionCounter().count()).isEqualTo(before);
        }
    }
}
