package dev.aioops.micrometer;

import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * Publishes the {@link AioStats} of an {@link AioOperations} or of every member of an {@link AioGroup} to a
 * Micrometer {@link MeterRegistry}:
 *
 * <table>
 * <caption>Meters, each tagged {@code adapter} (and {@code member}, the index, for a group's members)</caption>
 * <tr><th>name</th><th>type</th><th>from</th></tr>
 * <tr><td>{@code aioops.operations.submitted}</td><td>function counter</td><td>{@link AioStats#submitted()}</td></tr>
 * <tr><td>{@code aioops.operations.completed}</td><td>function counter</td><td>{@link AioStats#completed()}</td></tr>
 * <tr><td>{@code aioops.operations.inflight}</td><td>gauge</td><td>{@link AioStats#inFlight()}</td></tr>
 * <tr><td>{@code aioops.loop.turns}</td><td>function counter</td><td>{@link AioStats#turns()}</td></tr>
 * <tr><td>{@code aioops.loop.wakeups}</td><td>function counter</td><td>{@link AioStats#wakeups()}</td></tr>
 * <tr><td>{@code aioops.uring.enters}</td><td>function counter</td><td>{@link AioStats#enters()}</td></tr>
 * <tr><td>{@code aioops.uring.sqes}</td><td>function counter</td><td>{@link AioStats#sqes()}</td></tr>
 * <tr><td>{@code aioops.uring.cq.overflows}</td><td>function counter</td><td>{@link AioStats#cqOverflows()}</td></tr>
 * <tr><td>{@code aioops.uring.kernel.workers}</td><td>gauge</td><td>{@link AioStats#kernelWorkers()}</td></tr>
 * </table>
 *
 * <p>The batch sizes follow from the counters' rates: SQEs per enter is {@code rate(aioops.uring.sqes) /
 * rate(aioops.uring.enters)}, completions per turn {@code rate(aioops.operations.completed) /
 * rate(aioops.loop.turns)}. Counters an adapter does not keep stay at 0 (see {@link AioStats}).
 *
 * <p><b>Cost.</b> The meters of one instance share a snapshot taken at most once per {@link #snapshotEvery
 * interval} (one second by default): a scrape costs one {@link AioOperations#stats()} per instance, which on
 * io_uring scans {@code /proc/self/task} for the kernel workers. The loops are never touched. The binder holds the
 * instances strongly; remove the meters (or the registry) when they close, or they report their last figures.
 *
 * <p>Thread-safe; {@link #bindTo} may be called for several registries.
 */
public final class AioMetrics implements MeterBinder {

    private final List<Source> sources;
    private final Tags tags;
    private final Duration interval;

    private AioMetrics(List<Source> sources, Tags tags, Duration interval) {
        this.sources = sources;
        this.tags = tags;
        this.interval = interval;
    }

    /**
     * A binder for one instance, tagged {@code adapter}.
     *
     * @param instance the instance
     * @return the binder
     */
    public static AioMetrics of(AioOperations instance) {
        Objects.requireNonNull(instance, "instance");
        return new AioMetrics(List.of(new Source(instance, Tags.of("adapter", instance.adapterName()))), Tags.empty(),
                Duration.ofSeconds(1));
    }

    /**
     * A binder for every member of a group, each tagged {@code adapter} and {@code member} (its index). Sum over
     * {@code member} for the group's figures ({@link AioGroup#stats()}).
     *
     * @param group the group
     * @return the binder
     */
    public static AioMetrics of(AioGroup group) {
        Objects.requireNonNull(group, "group");
        List<Source> members = new ArrayList<>();
        for (int i = 0; i < group.size(); i++) {
            AioOperations m = group.member(i);
            members.add(new Source(m, Tags.of("adapter", m.adapterName(), "member", Integer.toString(i))));
        }
        return new AioMetrics(List.copyOf(members), Tags.empty(), Duration.ofSeconds(1));
    }

    /**
     * The same binder with more tags on every meter (for example {@code name} when an application has several).
     *
     * @param extra the tags to add
     * @return a new binder
     */
    public AioMetrics tags(Iterable<Tag> extra) {
        return new AioMetrics(sources, tags.and(extra), interval);
    }

    /**
     * The same binder with another snapshot interval: how old the figures a meter reports may be.
     *
     * @param every {@link Duration#ZERO} for a fresh snapshot on each meter read
     * @return a new binder
     * @throws IllegalArgumentException if {@code every} is negative
     */
    public AioMetrics snapshotEvery(Duration every) {
        if (every.isNegative()) {
            throw new IllegalArgumentException("the snapshot interval must not be negative: " + every);
        }
        return new AioMetrics(sources, tags, every);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (Source source : sources) {
            Snapshots s = new Snapshots(source.instance, interval.toNanos());
            Tags t = source.tags.and(tags);
            counter(registry, "aioops.operations.submitted", "operations accepted", t, s, AioStats::submitted);
            counter(registry, "aioops.operations.completed", "completions run", t, s, AioStats::completed);
            gauge(registry, "aioops.operations.inflight", "operations accepted and not completed", t, s,
                    AioStats::inFlight);
            counter(registry, "aioops.loop.turns", "loop turns", t, s, AioStats::turns);
            counter(registry, "aioops.loop.wakeups", "wake-ups of the sleeping loop by other threads", t, s,
                    AioStats::wakeups);
            counter(registry, "aioops.uring.enters", "io_uring_enter calls", t, s, AioStats::enters);
            counter(registry, "aioops.uring.sqes", "SQEs submitted by those calls", t, s, AioStats::sqes);
            counter(registry, "aioops.uring.cq.overflows", "CQ overflow flushes", t, s, AioStats::cqOverflows);
            gauge(registry, "aioops.uring.kernel.workers", "io_uring kernel worker threads of the loop", t, s,
                    AioStats::kernelWorkers);
        }
    }

    private static void counter(MeterRegistry registry, String name, String description, Tags tags, Snapshots s,
                                ToDoubleFunction<AioStats> value) {
        FunctionCounter.builder(name, s, snapshots -> value.applyAsDouble(snapshots.get()))
                .description(description).tags(tags).register(registry);
    }

    private static void gauge(MeterRegistry registry, String name, String description, Tags tags, Snapshots s,
                              ToDoubleFunction<AioStats> value) {
        Gauge.builder(name, s, snapshots -> value.applyAsDouble(snapshots.get()))
                .description(description).tags(tags).register(registry);
    }

    private record Source(AioOperations instance, Tags tags) {
    }

    /** The snapshot of one instance, shared by its meters and refreshed at most once per interval. */
    private static final class Snapshots {

        private final AioOperations instance;
        private final long intervalNanos;
        private AioStats last;
        private long takenAt;

        Snapshots(AioOperations instance, long intervalNanos) {
            this.instance = instance;
            this.intervalNanos = intervalNanos;
        }

        synchronized AioStats get() {
            long now = System.nanoTime();
            if (last == null || now - takenAt >= intervalNanos) {
                last = instance.stats();
                takenAt = now;
            }
            return last;
        }
    }
}
