package dev.aioops.bench.suite;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fio}, the kernel's own ceiling for the random-read workload, run as a separate process with the same
 * file, block size, depth and duration. Its CPU time is the one fio reports for its job. Unavailable, with a
 * note, when fio is not installed ({@code apt-get install fio}).
 */
final class FioContender implements Contender {

    private static final Pattern IOPS = Pattern.compile("\"iops\"\\s*:\\s*([0-9.]+)");
    private static final Pattern RUNTIME = Pattern.compile("\"job_runtime\"\\s*:\\s*([0-9]+)");
    private static final Pattern USR = Pattern.compile("\"usr_cpu\"\\s*:\\s*([0-9.]+)");
    private static final Pattern SYS = Pattern.compile("\"sys_cpu\"\\s*:\\s*([0-9.]+)");

    private final String engine;
    private final Path file;
    private final int depth;
    private final boolean direct;
    private final Duration duration;

    FioContender(String engine, Path file, int depth, boolean direct, Duration duration) {
        this.engine = engine;
        this.file = file;
        this.depth = depth;
        this.direct = direct;
        this.duration = duration;
    }

    static boolean installed() {
        try {
            Process p = new ProcessBuilder("fio", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "fio " + engine;
    }

    @Override
    public String unavailable() {
        return installed() ? null : "fio is not installed (apt-get install fio)";
    }

    @Override
    public Trial run() throws Exception {
        List<String> command = new ArrayList<>(List.of("fio", "--name=randread", "--filename=" + file,
                "--rw=randread", "--bs=" + RandomReadContenders.BLOCK, "--ioengine=" + engine,
                "--iodepth=" + (engine.equals("psync") ? 1 : depth), "--direct=" + (direct ? 1 : 0),
                // Without --invalidate=0 fio drops the file from the page cache before it starts.
                "--invalidate=0", "--time_based", "--runtime=" + Math.max(1, duration.toMillis()) + "ms",
                "--numjobs=1", "--output-format=json"));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // A fio that hangs must not hang the suite: its output ends when it is killed.
        CompletableFuture.delayedExecutor(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS)
                .execute(p::destroyForcibly);
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("fio failed: " + command);
        }
        double iops = number(IOPS, json);
        long runtimeNanos = (long) (number(RUNTIME, json) * 1e6);
        long user = (long) (number(USR, json) / 100 * runtimeNanos);
        long system = (long) (number(SYS, json) / 100 * runtimeNanos);
        return new Trial(iops * runtimeNanos / 1e9, runtimeNanos, user, system, 0);
    }

    private static double number(Pattern pattern, String json) {
        Matcher m = pattern.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("fio output lacks " + pattern.pattern());
        }
        return Double.parseDouble(m.group(1));
    }
}
