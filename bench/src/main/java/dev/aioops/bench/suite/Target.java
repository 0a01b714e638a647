package dev.aioops.bench.suite;

import java.util.List;
import java.util.Optional;

/**
 * A performance target of the project, checked against a run: the throughput of {@code contender} divided by that
 * of {@code peer} in the workload named {@code workload} (name and variant), compared with {@code bound}; or, for a
 * {@link Metric#WAKEUPS_PER_SLEEP} target, every aioops adapter's wake-up syscalls per loop sleep in that workload,
 * each at most {@code bound}; or, for a {@link Metric#SPREAD} target, the contender's highest throughput over the
 * repetitions divided by its lowest, at most {@code bound}.
 *
 * @param text      the target as the issue states it
 * @param workload  "name / variant" of the workload; or a leading part of the variant, which matches every variant
 *                  that goes on after a comma (the HTTP workload's variant ends with the load generator that ran)
 * @param contender the contender measured (null for a wake-up target: every adapter)
 * @param peer      the contender it is measured against (null for a wake-up or spread target)
 * @param atLeast   true when the throughput ratio must be at least the bound
 * @param bound     the bound on the throughput ratio (a time ratio of 0.4 is a throughput ratio of 2.5)
 * @param metric    what is compared with the bound
 * @param cpuBound  for a throughput target, the bound on the contender's CPU per unit of work over the peer's
 *                  ("at no more CPU per message" is 1.0), or NaN when the target says nothing of CPU
 */
record Target(String text, String workload, String contender, String peer, boolean atLeast, double bound,
              Metric metric, double cpuBound) {

    /** What a target bounds. */
    enum Metric {
        /** The throughput of the contender divided by the peer's. */
        THROUGHPUT_RATIO,
        /** Each aioops adapter's wake-up syscalls per loop sleep ({@link Summary#wakeupsPerSleep()}). */
        WAKEUPS_PER_SLEEP,
        /** The contender's max ÷ min throughput over the repetitions (how steady it is). */
        SPREAD
    }

    /** A throughput-ratio target. */
    Target(String text, String workload, String contender, String peer, boolean atLeast, double bound) {
        this(text, workload, contender, peer, atLeast, bound, Metric.THROUGHPUT_RATIO, Double.NaN);
    }

    /** This throughput target, also bounding the contender's CPU per unit of work to {@code cpuRatio} × the peer's. */
    Target atCpuRatio(double cpuRatio) {
        return new Target(text, workload, contender, peer, atLeast, bound, metric, cpuRatio);
    }

    /** A target of at most {@code bound} wake-up syscalls per loop sleep for every aioops adapter in a workload. */
    static Target wakeupsPerSleep(String text, String workload, double bound) {
        return new Target(text, workload, null, null, false, bound, Metric.WAKEUPS_PER_SLEEP, Double.NaN);
    }

    /** A target of at most {@code bound} for the contender's max ÷ min throughput over the repetitions. */
    static Target spreadWithin(String text, String workload, String contender, double bound) {
        return new Target(text, workload, contender, null, false, bound, Metric.SPREAD, Double.NaN);
    }

    /** The contender's max ÷ min throughput over the repetitions, if it ran. */
    Optional<Double> spread(List<Summary> summaries) {
        return find(summaries, contender).map(s -> s.maxThroughput() / s.minThroughput());
    }

    /** The adapters' summaries in the workload of a wake-up target, those that counted their wake-ups. */
    List<Summary> adapters(List<Summary> summaries) {
        return summaries.stream()
                .filter(s -> s.ran() && s.contender().startsWith("aioops ") && inWorkload(s)
                        && !Double.isNaN(s.wakeupsPerSleep()))
                .toList();
    }

    /** The measured throughput ratio, if both contenders ran. */
    Optional<Double> ratio(List<Summary> summaries) {
        Optional<Summary> a = find(summaries, contender);
        Optional<Summary> b = find(summaries, peer);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(a.get().medianThroughput() / b.get().medianThroughput());
    }

    /** The contender's median CPU per unit of work over the peer's, if both contenders ran. */
    Optional<Double> cpuRatio(List<Summary> summaries) {
        Optional<Summary> a = find(summaries, contender);
        Optional<Summary> b = find(summaries, peer);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(a.get().medianCpuPerWork() / b.get().medianCpuPerWork());
    }

    boolean met(double ratio) {
        return atLeast ? ratio >= bound : ratio <= bound;
    }

    private Optional<Summary> find(List<Summary> summaries, String name) {
        return summaries.stream()
                .filter(s -> s.ran() && s.contender().equals(name) && inWorkload(s))
                .findFirst();
    }

    private boolean inWorkload(Summary s) {
        String measured = s.workload().name() + " / " + s.workload().variant();
        return measured.equals(workload) || measured.startsWith(workload + ", ");
    }
}
