package dev.aioops.bench.suite;

import java.util.Arrays;
import java.util.List;

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
