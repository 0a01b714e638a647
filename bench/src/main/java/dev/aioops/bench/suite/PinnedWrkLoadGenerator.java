package dev.aioops.bench.suite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One single-threaded {@code wrk} per core, each pinned to its core with {@code taskset}, the connections split
 * between them, the server left unpinned: the load generator for comparing one loop with a group of loops on a
 * small machine. Its load is the same whatever the server, spread evenly over the cores, so that a server that
 * uses both cores competes with the same wrk as one that uses one; a single wrk thread would saturate one core and
 * hand the other to a two-loop server, which is no comparison. wrk is a separate process, so a trial's CPU is the
 * server's alone.
 */
final class PinnedWrkLoadGenerator implements HttpLoadGenerator {

    private static final long WAIT_SECONDS = 60;
    private static final Pattern REQUESTS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern COUNT = Pattern.compile("([0-9]+) requests in ");
    private static final Pattern ERRORS = Pattern.compile("Non-2xx or 3xx responses:|Socket errors:");

    private final int cores;

    /** One wrk per available processor. */
    PinnedWrkLoadGenerator() {
        this.cores = Runtime.getRuntime().availableProcessors();
    }

    @Override
    public String label() {
        return cores + " × wrk -t1, one pinned per core";
    }

    @Override
    public String unavailable() {
        if (!WrkLoadGenerator.installed()) {
            return "wrk is not installed (apt-get install wrk)";
        }
        try {
            Process p = new ProcessBuilder("taskset", "-c", "0", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : "taskset does not work here";
        } catch (IOException | InterruptedException e) {
            return "taskset is not installed (util-linux)";
        }
    }

    @Override
    public Trial run(InetSocketAddress address, String file, int connections, Duration duration,
                     Supplier<CpuTime> serverCpu) throws Exception {
        String url = "http://127.0.0.1:" + address.getPort() + "/" + file;
        long seconds = Math.max(1, duration.toSeconds());
        double[] perSecond = new double[1];
        Trial t = Trial.measure(serverCpu, () -> {
            List<Process> wrks = new ArrayList<>();
            for (int core = 0; core < cores; core++) {
                int share = connections / cores + (core < connections % cores ? 1 : 0);
                Process p = new ProcessBuilder("taskset", "-c", Integer.toString(core), "wrk", "-t1",
                        "-c" + share, "-d" + seconds + "s", url).redirectErrorStream(true).start();
                CompletableFuture.delayedExecutor(seconds + WAIT_SECONDS, TimeUnit.SECONDS)
                        .execute(p::destroyForcibly);
                wrks.add(p);
            }
            double count = 0;
            for (Process p : wrks) {
                String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(seconds + WAIT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0
                        || ERRORS.matcher(report).find()) {
                    throw new IllegalStateException("wrk failed or saw errors: " + report);
                }
                Matcher rate = REQUESTS.matcher(report);
                Matcher n = COUNT.matcher(report);
                if (!rate.find() || !n.find()) {
                    throw new IllegalStateException("wrk output lacks its request count or Requests/sec: " + report);
                }
                perSecond[0] += Double.parseDouble(rate.group(1));
                count += Double.parseDouble(n.group(1));
            }
            return new Trial.Outcome(count, 0);
        });
        if (perSecond[0] <= 0) {
            return t;
        }
        // Each wrk measures its own span: the throughput is the sum of their rates.
        return new Trial(t.work(), (long) (t.work() / perSecond[0] * 1e9), t.userNanos(), t.systemNanos(), 0);
    }
}
