package dev.aioops.bench.suite;

import java.util.List;
import java.util.Optional;

/**
 * A performance target of the project, checked against a run: the throughput of {@code contender} divided by that
 * of {@code peer} in the workload named {@code workload} (name and variant), compared with {@code bound}.
 *
 * @param text      the target as the issue states it
 * @param workload  "name / variant" of the workload
 * @param contender the contender measured
 * @param peer      the contender it is measured against
 * @param atLeast   true when the throughput ratio must be at least the bound
 * @param bound     the bound on the throughput ratio (a time ratio of 0.4 is a throughput ratio of 2.5)
 */
record Target(String text, String workload, String contender, String peer, boolean atLeast, double bound) {

    /** The measured throughput ratio, if both contenders ran. */
    Optional<Double> ratio(List<Summary> summaries) {
        Optional<Summary> a = find(summaries, contender);
        Optional<Summary> b = find(summaries, peer);
        if (a.isEmpty() || b.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(a.get().medianThroughput() / b.get().medianThroughput());
    }

    boolean met(double ratio) {
        return atLeast ? ratio >= bound : ratio <= bound;
    }

    private Optional<Summary> find(List<Summary> summaries, String name) {
        return summaries.stream()
                .filter(s -> s.ran() && s.contender().equals(name)
                        && (s.workload().name() + " / " + s.workload().variant()).equals(workload))
                .findFirst();
    }
}
