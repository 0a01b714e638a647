package dev.aioops.bench.suite;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** {@code wrk -t1}: one wrk thread, {@code connections} keep-alive connections, its own report parsed. */
final class WrkLoadGenerator implements HttpLoadGenerator {

    private static final long WAIT_SECONDS = 60;
    private static final Pattern REQUESTS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern COUNT = Pattern.compile("([0-9]+) requests in ");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");
    private static final Pattern SOCKET_ERRORS = Pattern.compile("Socket errors:.*");

    static boolean installed() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Override
    public String label() {
        return "wrk -t1";
    }

    @Override
    public String unavailable() {
        return installed() ? null : "wrk is not installed (apt-get install wrk)";
    }

    /**
     * One wrk run against a server; CPU is the server's, from {@code serverCpu}. wrk counts whole
     * seconds only: a shorter run starts it for one second and stops it with SIGINT, on which it reports the span
     * it ran.
     */
    @Override
    public Trial run(InetSocketAddress address, String file, int connections, Duration duration,
                     Supplier<CpuTime> serverCpu) throws Exception {
        String url = "http://127.0.0.1:" + address.getPort() + "/" + file;
        long seconds = Math.max(1, duration.toSeconds());
        boolean interrupt = duration.toMillis() < 1000;
        double[] perSecond = new double[1];
        Trial t = Trial.measure(serverCpu, () -> {
            Process p = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", url)
                    .redirectErrorStream(true).start();
            // A wrk that hangs must not hang the suite: its output ends when it is killed.
            CompletableFuture.delayedExecutor(seconds + WAIT_SECONDS, TimeUnit.SECONDS).execute(p::destroyForcibly);
            if (interrupt) {
                Thread.sleep(duration.toMillis());
                new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
            }
            String report = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(seconds + WAIT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("wrk failed: " + report);
            }
            Matcher errors = NON_2XX.matcher(report);
            if (errors.find() || SOCKET_ERRORS.matcher(report).find()) {
                throw new IllegalStateException("wrk saw errors: " + report);
            }
            Matcher rate = REQUESTS.matcher(report);
            Matcher count = COUNT.matcher(report);
            if (!rate.find() || !count.find()) {
                throw new IllegalStateException("wrk output lacks its request count or Requests/sec: " + report);
            }
            perSecond[0] = Double.parseDouble(rate.group(1));
            return new Trial.Outcome(Double.parseDouble(count.group(1)), 0);
        });
        if (perSecond[0] <= 0) {
            // No response within a short run (a cold server in the warm-up round): no work, over the whole span.
            return t;
        }
        // wrk measures its own span, without its start-up: the throughput is its count over that span.
        return new Trial(t.work(), (long) (t.work() / perSecond[0] * 1e9), t.userNanos(), t.systemNanos(), 0);
    }
}
