package dev.aioops.bench.suite;

import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioStats;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The batch sizes of the aioops contenders of the TCP workloads, from the {@link AioStats} of their server and
 * client instances over the measured runs: SQEs per {@code io_uring_enter} (io_uring only) and completions per
 * loop turn (io_uring and epoll; Vert.x runs no turns of its own). Shown beside a workload's table.
 */
final class BatchSizes {

    private static final Map<String, AioStats> FIGURES = new ConcurrentHashMap<>();

    private BatchSizes() {
    }

    /** The sum of the instances' snapshots. */
    static AioStats of(List<AioOperations> instances) {
        return AioStats.sum("aioops", instances.stream().map(AioOperations::stats).toList());
    }

    /** What happened between two snapshots of the same instances (the later in-flight count). */
    static AioStats between(AioStats before, AioStats after) {
        return new AioStats(after.adapter(), after.submitted() - before.submitted(),
                after.completed() - before.completed(), after.inFlight(), after.turns() - before.turns(),
                after.enters() - before.enters(), after.sqes() - before.sqes(),
                after.cqOverflows() - before.cqOverflows(), after.wakeups() - before.wakeups(), after.kernelWorkers());
    }

    /** After a workload ran: keeps the figures of those of its contenders that have some. */
    static void collect(Workload w, List<Contender> contenders) {
        for (Contender c : contenders) {
            AioStats s = c.stats();
            if (s != null) {
                FIGURES.put(key(w, c.name()), s);
            }
        }
    }

    private static String key(Workload w, String contender) {
        return w.name() + " / " + w.variant() + " / " + contender;
    }

    /**
     * The side table of a workload, for the console or (with {@code markdown}) summary.md; empty when none of
     * its contenders has figures.
     */
    static String table(List<Summary> workload, boolean markdown) {
        StringBuilder out = new StringBuilder();
        for (Summary s : workload) {
            AioStats a = FIGURES.get(key(s.workload(), s.contender()));
            if (a == null || !s.ran()) {
                continue;
            }
            if (out.isEmpty()) {
                out.append(markdown ? String.format(Locale.ROOT, "%nBatch sizes of the aioops contenders (server "
                        + "and client instances, measured runs, from AioStats):%n%n| contender | SQEs per enter | "
                        + "completions per turn | enters | turns |%n|---|---:|---:|---:|---:|%n")
                        : String.format(Locale.ROOT, "  %-26s %14s %20s%n", "batch sizes", "SQEs/enter",
                        "completions/turn"));
            }
            out.append(markdown ? String.format(Locale.ROOT, "| %s | %s | %s | %,d | %,d |%n", s.contender(),
                    ratio(a.enters(), a.sqesPerEnter()), ratio(a.turns(), a.completionsPerTurn()), a.enters(),
                    a.turns())
                    : String.format(Locale.ROOT, "  %-26s %14s %20s%n", s.contender(),
                    ratio(a.enters(), a.sqesPerEnter()), ratio(a.turns(), a.completionsPerTurn())));
        }
        return out.toString();
    }

    private static String ratio(long denominator, double value) {
        return denominator == 0 ? "—" : String.format(Locale.ROOT, "%.2f", value);
    }
}
