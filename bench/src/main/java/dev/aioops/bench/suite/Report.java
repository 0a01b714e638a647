package dev.aioops.bench.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Writes a run's results: a console table, {@code results.csv} (every trial) and {@code summary.md}. */
final class Report {

    private final List<Summary> summaries;
    private final List<Target> targets;
    private final String machine;

    Report(List<Summary> summaries, List<Target> targets, String machine) {
        this.summaries = summaries;
        this.targets = targets;
        this.machine = machine;
    }

    /** The comparison table, one block per workload, plus the targets. */
    String table() {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<Summary>> e : byWorkload().entrySet()) {
            Workload w = e.getValue().getFirst().workload();
            out.append(String.format(Locale.ROOT, "%n%s — %s%n", w.name(), w.variant()));
            out.append(String.format(Locale.ROOT, "  %-26s %14s %21s %12s %8s %9s%n", "contender",
                    w.unit().label, "min … max", w.unit().cpuLabel, "CPU %", "× " + abbreviate(w.baseline())));
            double base = baseline(e.getValue(), w);
            for (Summary s : e.getValue()) {
                if (!s.ran()) {
                    out.append(String.format(Locale.ROOT, "  %-26s skipped: %s%n", s.contender(), s.skipped()));
                    continue;
                }
                out.append(String.format(Locale.ROOT, "  %-26s %14s %21s %12.2f %8.0f %9.2f%n", s.contender(),
                        number(s.medianThroughput()),
                        number(s.minThroughput()) + " … " + number(s.maxThroughput()), s.medianCpuPerWork(),
                        s.medianCpuPercent(), s.medianThroughput() / base));
            }
        }
        if (!targets.isEmpty()) {
            out.append(String.format(Locale.ROOT, "%nTargets%n"));
            for (Target t : targets) {
                out.append("  ").append(targetLine(t)).append('\n');
            }
        }
        return out.toString();
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("results.csv"), ResultsCsv.write(summaries));
        Files.writeString(dir.resolve("machine.txt"), machine + "\n");
        Files.writeString(dir.resolve("summary.md"), markdown());
    }


    String markdown() {
        StringBuilder out = new StringBuilder("# aioops benchmark results\n\n").append(machine).append("\n\n");
        out.append("Medians over the repetitions; spread is min … max. CPU is user + system time of the process "
                + "(all its threads, including io_uring's kernel workers; fio's own figures for fio), per unit of "
                + "work and as a share of one core. Ratios are median throughput against the named peer.\n");
        for (Map.Entry<String, List<Summary>> e : byWorkload().entrySet()) {
            Workload w = e.getValue().getFirst().workload();
            double base = baseline(e.getValue(), w);
            out.append(String.format(Locale.ROOT, "%n## %s — %s%n%n", w.name(), w.variant()));
            out.append(String.format(Locale.ROOT, "| contender | %s | min … max | %s | CPU %% (user + sys) | × %s |%n",
                    w.unit().label, w.unit().cpuLabel, w.baseline()));
            out.append("|---|---:|---:|---:|---:|---:|\n");
            for (Summary s : e.getValue()) {
                if (!s.ran()) {
                    out.append(String.format(Locale.ROOT, "| %s | skipped: %s | | | | |%n", s.contender(), s.skipped()));
                    continue;
                }
                out.append(String.format(Locale.ROOT, "| %s | %s | %s … %s | %.2f | %.0f (%.0f + %.0f) | %.2f |%n",
                        s.contender(), number(s.medianThroughput()), number(s.minThroughput()),
                        number(s.maxThroughput()), s.medianCpuPerWork(), s.medianCpuPercent(), s.medianUserPercent(),
                        s.medianSystemPercent(), s.medianThroughput() / base));
            }
        }
        if (!targets.isEmpty()) {
            out.append("\n## Targets\n\n");
            for (Target t : targets) {
                out.append("- ").append(targetLine(t)).append('\n');
            }
        }
        return out.toString();
    }

    private String targetLine(Target t) {
        Optional<Double> ratio = t.ratio(summaries);
        if (ratio.isEmpty()) {
            return t.text() + ": not measured in this run";
        }
        double r = ratio.get();
        String verdict = t.met(r) ? "met" : String.format(Locale.ROOT, "missed by %.0f%%",
                100 * Math.abs(1 - r / t.bound()));
        return String.format(Locale.ROOT, "%s: %.2f× throughput (time ratio %.2f) — %s", t.text(), r, 1 / r,
                verdict);
    }

    private Map<String, List<Summary>> byWorkload() {
        Map<String, List<Summary>> map = new LinkedHashMap<>();
        for (Summary s : summaries) {
            map.computeIfAbsent(s.workload().name() + " / " + s.workload().variant(), k -> new ArrayList<>()).add(s);
        }
        return map;
    }

    private static double baseline(List<Summary> summaries, Workload w) {
        return summaries.stream().filter(s -> s.ran() && s.contender().equals(w.baseline()))
                .mapToDouble(Summary::medianThroughput).findFirst().orElse(Double.NaN);
    }

    private static String abbreviate(String name) {
        return name.length() <= 12 ? name : name.substring(0, 11) + "…";
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.2f", value);
    }
}
