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
            boolean sleeps = countsSleeps(e.getValue());
            out.append(String.format(Locale.ROOT, "  %-26s %14s %21s %12s %8s %9s", "contender",
                    w.unit().label, "min … max", w.unit().cpuLabel, "CPU %", "× " + abbreviate(w.baseline())));
            out.append(sleeps ? String.format(Locale.ROOT, " %12s %12s %14s%n", "wake-ups/op", "sleeps/op",
                    "wake-ups/sleep") : System.lineSeparator());
            double base = baseline(e.getValue(), w);
            for (Summary s : e.getValue()) {
                if (!s.ran()) {
                    out.append(String.format(Locale.ROOT, "  %-26s skipped: %s%n", s.contender(), s.skipped()));
                    continue;
                }
                out.append(String.format(Locale.ROOT, "  %-26s %14s %21s %12s %8.0f %9.2f", s.contender(),
                        number(s.medianThroughput()),
                        number(s.minThroughput()) + " … " + number(s.maxThroughput()), number(s.medianCpuPerWork()),
                        s.medianCpuPercent(), s.medianThroughput() / base));
                out.append(sleeps ? String.format(Locale.ROOT, " %12s %12s %14s%n", ratio(s.wakeupsPerWork()),
                        ratio(s.sleepsPerWork()), ratio(s.wakeupsPerSleep())) : System.lineSeparator());
            }
            out.append(BatchSizes.table(e.getValue(), false));
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
                + "(all its threads, including io_uring's kernel workers; fio's own figures for fio's job; nginx's "
                + "master and workers), per unit of work and as a share of one core. Ratios are median throughput "
                + "against the named peer.\n");
        for (Map.Entry<String, List<Summary>> e : byWorkload().entrySet()) {
            Workload w = e.getValue().getFirst().workload();
            double base = baseline(e.getValue(), w);
            out.append(String.format(Locale.ROOT, "%n## %s — %s%n%n", w.name(), w.variant()));
            boolean sleeps = countsSleeps(e.getValue());
            out.append(String.format(Locale.ROOT,
                    "| contender | %s | min … max | %s | CPU %% (user + sys) | × %s |%s%n",
                    w.unit().label, w.unit().cpuLabel, w.baseline(),
                    sleeps ? " wake-ups/op | loop sleeps/op | wake-ups/sleep |" : ""));
            out.append("|---|---:|---:|---:|---:|---:|").append(sleeps ? "---:|---:|---:|\n" : "\n");
            for (Summary s : e.getValue()) {
                if (!s.ran()) {
                    out.append(String.format(Locale.ROOT, "| %s | skipped: %s | | | | |%s%n", s.contender(),
                            s.skipped(), sleeps ? " | | |" : ""));
                    continue;
                }
                out.append(String.format(Locale.ROOT, "| %s | %s | %s … %s | %s | %.0f (%.0f + %.0f) | %.2f |",
                        s.contender(), number(s.medianThroughput()), number(s.minThroughput()),
                        number(s.maxThroughput()), number(s.medianCpuPerWork()), s.medianCpuPercent(), s.medianUserPercent(),
                        s.medianSystemPercent(), s.medianThroughput() / base));
                out.append(sleeps ? String.format(Locale.ROOT, " %s | %s | %s |%n", ratio(s.wakeupsPerWork()),
                        ratio(s.sleepsPerWork()), ratio(s.wakeupsPerSleep())) : System.lineSeparator());
            }
            out.append(BatchSizes.table(e.getValue(), true));
            if (sleeps) {
                out.append(String.format(Locale.ROOT, "%nWake-ups are the producer threads' write system calls (the "
                        + "eventfd writes that wake a loop; a JDK executor's futex wake-ups are not counted: —); loop "
                        + "sleeps are the loop thread's voluntary context switches (a wait for a lock counts too). "
                        + "Both are totals over the repetitions, from /proc/self/task/*/{io,status}.%n"));
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
        if (t.metric() == Target.Metric.WAKEUPS_PER_SLEEP) {
            return wakeupTargetLine(t);
        }
        if (t.metric() == Target.Metric.SPREAD) {
            return t.spread(summaries).map(s -> String.format(Locale.ROOT, "%s: %.2f — %s", t.text(), s,
                    s <= t.bound() ? "met" : "missed")).orElse(t.text() + ": not measured in this run");
        }
        Optional<Double> ratio = t.ratio(summaries);
        if (ratio.isEmpty()) {
            return t.text() + ": not measured in this run";
        }
        double r = ratio.get();
        String measured = String.format(Locale.ROOT, "%.2f× throughput (time ratio %.2f)", r, 1 / r);
        List<String> missed = new ArrayList<>();
        if (!t.met(r)) {
            missed.add(String.format(Locale.ROOT, "%.0f%% short in throughput", 100 * Math.abs(1 - r / t.bound())));
        }
        if (!Double.isNaN(t.cpuBound())) {
            double cpu = t.cpuRatio(summaries).orElseThrow();
            measured += String.format(Locale.ROOT, " at %.2f× its CPU per unit of work", cpu);
            if (cpu > t.cpuBound()) {
                missed.add(String.format(Locale.ROOT, "%.0f%% over in CPU", 100 * (cpu / t.cpuBound() - 1)));
            }
        }
        return t.text() + ": " + measured + " — " + (missed.isEmpty() ? "met" : "missed: " + String.join(", ",
                missed));
    }

    /** Each adapter's wake-up syscalls per loop sleep against the bound, then the verdict. */
    private String wakeupTargetLine(Target t) {
        List<Summary> adapters = t.adapters(summaries);
        if (adapters.isEmpty()) {
            return t.text() + ": not measured in this run";
        }
        StringBuilder line = new StringBuilder(t.text()).append(':');
        List<String> above = new ArrayList<>();
        List<String> unseen = new ArrayList<>();
        for (Summary s : adapters) {
            double perSleep = s.wakeupsPerSleep();
            line.append(String.format(Locale.ROOT, " %s %.4f per blocking sleep, %.5f per message;", s.contender(),
                    perSleep, s.wakeupsPerWork()));
            if (perSleep == 0) {
                // Its loop slept and was woken, yet no producer made a write: it is woken some other way (a futex,
                // an io_uring message), which this counter does not see; 0 proves nothing.
                unseen.add(s.contender());
            } else if (perSleep > t.bound()) {
                above.add(s.contender());
            }
        }
        line.setLength(line.length() - 1);
        if (!unseen.isEmpty()) {
            return line.append(" — not verified: no write syscall woke ").append(String.join(", ", unseen))
                    .append(" (woken another way, not counted)").toString();
        }
        if (!above.isEmpty()) {
            // Blocking sleeps are fewer than sleep attempts: a wake-up written after the loop announced its sleep
            // but before it blocked ends an attempt that never blocks, so a ratio above 1 does not show two
            // wake-ups for one sleep. Only the adapter could count attempts; the jcstress proof covers them.
            return line.append(" — not shown by this count for ").append(String.join(", ", above))
                    .append(": it divides by blocking sleeps, fewer than sleep attempts when wake-ups land between "
                            + "a loop's announcing its sleep and blocking; at most one wake-up per attempt is "
                            + "proven by jcstress (concurrency-tests)").toString();
        }
        return line.append(" — met").toString();
    }


    private static boolean countsSleeps(List<Summary> workload) {
        return workload.stream().anyMatch(Summary::countsSleeps);
    }

    /** A small ratio (wake-ups per operation), or a dash when not counted. */
    private static String ratio(double value) {
        return Double.isNaN(value) ? "—" : String.format(Locale.ROOT, "%.4f", value);
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
