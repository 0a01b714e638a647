package dev.aioops.bench.suite;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The repetitions of one contender in one workload reduced to what the report shows: the median throughput with
 * its spread, and the median CPU time per unit of work.
 *
 * @param workload   the workload
 * @param contender  the contender's name
 * @param trials     every repetition, in run order
 * @param skipped    why it did not run, or null
 */
record Summary(Workload workload, String contender, List<Trial> trials, String skipped) {

    double medianThroughput() {
        return median(trials.stream().mapToDouble(t -> t.perSecond() / workload.unit().scale).toArray());
    }

    double minThroughput() {
        return trials.stream().mapToDouble(t -> t.perSecond() / workload.unit().scale).min().orElse(Double.NaN);
    }

    double maxThroughput() {
        return trials.stream().mapToDouble(t -> t.perSecond() / workload.unit().scale).max().orElse(Double.NaN);
    }

    /** Median CPU time (user + system) per unit of work, in the unit's CPU label. */
    double medianCpuPerWork() {
        return median(trials.stream().mapToDouble(t -> t.cpuNanos() / t.work() * workload.unit().cpuFactor)
                .toArray());
    }

    /** Median share of one core used, user and system together: 100 = one core busy. */
    double medianCpuPercent() {
        return median(trials.stream().mapToDouble(t -> 100.0 * t.cpuNanos() / t.wallNanos()).toArray());
    }

    double medianUserPercent() {
        return median(trials.stream().mapToDouble(t -> 100.0 * t.userNanos() / t.wallNanos()).toArray());
    }

    double medianSystemPercent() {
        return median(trials.stream().mapToDouble(t -> 100.0 * t.systemNanos() / t.wallNanos()).toArray());
    }

    /** Whether the workload counted wake-ups and loop sleeps (the cross-thread one). */
    boolean countsSleeps() {
        return ran() && trials.stream().allMatch(t -> t.loopSleeps() != Trial.NOT_COUNTED);
    }

    /** Wake-up syscalls per unit of work, over all repetitions together; NaN when not counted. */
    double wakeupsPerWork() {
        return pooled(Trial::wakeups, Trial::work);
    }

    /** Loop sleeps per unit of work, over all repetitions together; NaN when not counted. */
    double sleepsPerWork() {
        return pooled(Trial::loopSleeps, Trial::work);
    }

    /** Wake-up syscalls per loop sleep, over all repetitions together; NaN when not counted or never slept. */
    double wakeupsPerSleep() {
        return pooled(Trial::wakeups, Trial::loopSleeps);
    }

    /** The sum of a count over the trials divided by the sum of another: rare events are too few to take medians. */
    private double pooled(ToLongFunction<Trial> count, ToDoubleFunction<Trial> per) {
        if (!ran() || trials.stream().anyMatch(t -> count.applyAsLong(t) == Trial.NOT_COUNTED
                || per.applyAsDouble(t) < 0)) {
            return Double.NaN;
        }
        double total = trials.stream().mapToDouble(per).sum();
        return total == 0 ? Double.NaN : trials.stream().mapToLong(count).sum() / total;
    }

    boolean ran() {
        return skipped == null && !trials.isEmpty();
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
