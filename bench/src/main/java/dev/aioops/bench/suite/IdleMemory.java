package dev.aioops.bench.suite;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The memory figures of the idle-memory workload ({@link IdleMemoryContenders}): per contender and run, what one
 * idle connection adds to the server process. Live heap is the heap used after full GCs; native is NMT's committed
 * memory outside the heap, the classes and the JIT (their growth is warm-up, not connections); together they are
 * the cost a connection holds. VmRSS is the check from outside: the heap is touched in full at start, so it grows by
 * native memory (and by JIT code), not by the heap. Kernel socket memory belongs to no process and is not counted.
 * Runs of the measured repetitions only: the warm-up round's are dropped ({@link #record} keeps the last three).
 */
final class IdleMemory {

    /** The goal for aioops uring receiving: at most this many bytes per idle connection. */
    static final double GOAL_BYTES = 1024;
    private static final String AIOOPS_RECEIVE = "aioops uring receive";
    private static final String NETTY = "Netty io_uring";
    private static final int KEPT = 3;
    /** Per contender, in run order: {heap, native, rss} bytes per connection. */
    private static final Map<String, List<double[]>> RECORDED = new LinkedHashMap<>();

    private IdleMemory() {
    }

    static synchronized void record(String contender, double heap, double nativeBytes, double rss) {
        List<double[]> runs = RECORDED.computeIfAbsent(contender, k -> new ArrayList<>());
        runs.add(new double[] {heap, nativeBytes, rss});
        if (runs.size() > KEPT) {
            runs.removeFirst();
        }
        System.out.printf(Locale.ROOT, "      idle memory per connection: heap %,.0f B, native %,.0f B, together "
                + "%,.0f B, VmRSS %,.0f B (%s)%n", heap, nativeBytes, heap + nativeBytes, rss, contender);
    }

    /** The recorded figures as a Markdown table with the goal's verdict, or an empty string when none ran. */
    static synchronized String table() {
        return table(RECORDED);
    }

    /**
     * The table of {@code recorded}: per contender, in run order, {heap, native, VmRSS} bytes per connection; the
     * goal's verdict compares medians of heap + native.
     */
    static String table(Map<String, List<double[]>> recorded) {
        if (recorded.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("## Idle memory per connection\n\n").append(String.format(Locale.ROOT,
                "%,d idle loopback TCP connections held by a server in a JVM of its own (-Xms=-Xmx=256m, pre-touched; "
                        + "serial GC; NMT summary), measured after warm-up with none and with all of them; bytes per "
                        + "connection, medians of %d runs (min … max of heap + native). Heap: live after full GCs. "
                        + "Native: NMT committed outside the heap, classes and JIT. VmRSS: resident growth (heap "
                        + "pre-touched, so native plus JIT code). Kernel socket memory is not counted. Read contenders "
                        + "keep one %d KiB buffer per connection.%n%n", IdleMemoryContenders.CONNECTIONS, KEPT,
                IdleMemoryServer.READ_BUFFER / 1024))
                .append("| contender | heap | native | heap + native | min … max | VmRSS |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        Map<String, Double> together = new LinkedHashMap<>();
        recorded.forEach((name, runs) -> {
            double[] sum = runs.stream().mapToDouble(r -> r[0] + r[1]).toArray();
            double median = Summary.median(sum);
            together.put(name, median);
            out.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | %,.0f | %,.0f … %,.0f | %,.0f |%n", name,
                    Summary.median(runs.stream().mapToDouble(r -> r[0]).toArray()),
                    Summary.median(runs.stream().mapToDouble(r -> r[1]).toArray()), median,
                    Arrays.stream(sum).min().orElseThrow(), Arrays.stream(sum).max().orElseThrow(),
                    Summary.median(runs.stream().mapToDouble(r -> r[2]).toArray())));
        });
        Double aioops = together.get(AIOOPS_RECEIVE);
        Map.Entry<String, Double> nettyBest = together.entrySet().stream().filter(e -> e.getKey().startsWith(NETTY))
                .min(Map.Entry.comparingByValue()).orElse(null);
        if (aioops != null) {
            out.append(String.format(Locale.ROOT, "%nGoal: %s ≤ 1 KiB per idle connection (heap + native): %,.0f B — "
                    + "%s", AIOOPS_RECEIVE, aioops, aioops <= GOAL_BYTES ? "met" : "missed"));
            if (nettyBest != null) {
                out.append(String.format(Locale.ROOT, "; ≤ Netty's best (%s, %,.0f B): %s", nettyBest.getKey(),
                        nettyBest.getValue(), aioops <= nettyBest.getValue() ? "met" : "missed"));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
