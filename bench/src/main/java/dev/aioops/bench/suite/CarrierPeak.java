package dev.aioops.bench.suite;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The carrier threads of the virtual-thread scheduler during a trial: how many existed at its start and at most
 * during it. The JDK adds carriers beyond its parallelism when virtual threads block theirs (file I/O on
 * {@code FileChannel} does); a facade that parks adds none. Carriers idle for 30 s go away, so a trial that follows
 * one that grew the pool starts with the extra carriers: the figure that counts is the growth during the trial
 * beyond both the start and the parallelism.
 */
final class CarrierPeak implements AutoCloseable {

    private static final String CARRIER_CLASS = "jdk.internal.misc.CarrierThread";
    /** Per contender ("workload / contender"): {start of the trial with the largest growth, peak, growth}. */
    private static final Map<String, int[]> RECORDED = new ConcurrentSkipListMap<>();

    private final String key;
    private final Thread sampler;
    private final int start;
    private volatile int peak;
    private volatile boolean stop;

    private CarrierPeak(String key) {
        this.key = key;
        start = carriers();
        peak = start;
        sampler = Thread.ofPlatform().daemon().name("carrier-peak").start(() -> {
            while (!stop) {
                peak = Math.max(peak, carriers());
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    /** Starts watching for the trial of one contender of one workload. */
    static CarrierPeak watch(String workload, String contender) {
        return new CarrierPeak(workload + " / " + contender);
    }

    static int carriers() {
        int n = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getClass().getName().equals(CARRIER_CLASS)) {
                n++;
            }
        }
        return n;
    }

    static int parallelism() {
        String p = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        return p == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(p);
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        sampler.join();
        int last = Math.max(peak, carriers());
        int growth = Math.max(0, last - Math.max(start, parallelism()));
        System.out.printf(Locale.ROOT, "      carriers: %d at start, peak %d, grew by %d (%s)%n", start, last, growth,
                key);
        RECORDED.merge(key, new int[] {start, last, growth}, (a, b) -> b[2] > a[2] || b[1] > a[1] ? b : a);
    }

    /** The recorded figures as a Markdown table, or an empty string when no trial was watched. */
    static String table() {
        if (RECORDED.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("## Carrier threads of the virtual-thread workloads\n\n")
                .append("Scheduler parallelism: ").append(parallelism()).append(". Per contender, its trial with the"
                        + " largest growth: carriers at the start, the peak, and the growth beyond both.\n\n")
                .append("| workload / contender | at start | peak | growth |\n|---|---:|---:|---:|\n");
        RECORDED.forEach((k, v) -> out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d |%n", k, v[0], v[1],
                v[2])));
        return out.toString();
    }
}
