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
 * {@code fio}, the kernel's own ceiling for the file workloads, run as a separate process on the same file with the
 * same block size, depth and duration: 4 KiB random reads, or sequential reads for the checksum workload (fio reads
 * and sums nothing, so it is the ceiling of the reads alone). Unavailable, with a note, when fio is not installed
 * ({@code apt-get install fio}).
 *
 * <p>Its CPU time is the one fio reports for its job over the job's runtime, without fio's start-up and exit (about
 * 0.1 s of CPU per run here, which would swamp a quick run's 200 ms trial). No other thread works for the job:
 * there is no SQ poll thread, cached reads complete inline in the submitting call, and O_DIRECT reads complete
 * from the device's interrupt.
 */
final class FioContender implements Contender {

    /** How fio is run: the ratios of the report are taken against {@link #TUNED}. */
    enum Tuning {
        /** fio's defaults for the engine: one SQE per {@code io_uring_enter}, one completion reaped per call. */
        DEFAULTS("defaults"),
        /**
         * fio at its best here: the whole depth submitted per call and every ready completion reaped, registered
         * buffers ({@code READ_FIXED}) and file, one process, no per-I/O clock reads, no random map. Without an SQ
         * poll thread, which was far slower on this busy 2-core machine (bench/README.md has the measurements).
         */
        TUNED("tuned");

        final String label;

        Tuning(String label) {
            this.label = label;
        }
    }

    /** The first {@code io_bytes} of fio's JSON is the read direction's. */
    private static final Pattern IO_BYTES = Pattern.compile("\"io_bytes\"\\s*:\\s*([0-9]+)");
    private static final Pattern RUNTIME = Pattern.compile("\"job_runtime\"\\s*:\\s*([0-9]+)");
    private static final Pattern USR = Pattern.compile("\"usr_cpu\"\\s*:\\s*([0-9.]+)");
    private static final Pattern SYS = Pattern.compile("\"sys_cpu\"\\s*:\\s*([0-9.]+)");

    private final String engine;
    private final Tuning tuning;
    private final boolean random;
    private final Path file;
    private final int block;
    private final int depth;
    private final boolean direct;
    private final Duration duration;

    private FioContender(String engine, Tuning tuning, boolean random, Path file, int block, int depth,
                         boolean direct, Duration duration) {
        this.engine = engine;
        this.tuning = tuning;
        this.random = random;
        this.file = file;
        this.block = block;
        this.depth = depth;
        this.direct = direct;
        this.duration = duration;
    }

    /** 4 KiB random reads with {@code engine} (io_uring, or psync at depth 1 with its defaults); counts reads. */
    static FioContender randomReads(String engine, Tuning tuning, Path file, int depth, boolean direct,
                                    Duration duration) {
        return new FioContender(engine, tuning, true, file, RandomReadContenders.BLOCK,
                engine.equals("psync") ? 1 : depth, direct, duration);
    }

    /** Sequential reads of {@code block} bytes over the whole file, again and again, with io_uring; counts bytes. */
    static FioContender sequentialReads(Tuning tuning, Path file, int block, int depth, boolean direct,
                                        Duration duration) {
        return new FioContender("io_uring", tuning, false, file, block, depth, direct, duration);
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
        return engine.equals("io_uring") ? "fio io_uring " + tuning.label : "fio " + engine;
    }

    @Override
    public String unavailable() {
        return installed() ? null : "fio is not installed (apt-get install fio)";
    }

    /** The fio command line, without the program name. */
    List<String> arguments() {
        List<String> args = new ArrayList<>(List.of("--name=" + (random ? "randread" : "read"),
                "--filename=" + file, "--rw=" + (random ? "randread" : "read"), "--bs=" + block,
                "--ioengine=" + engine, "--iodepth=" + depth, "--direct=" + (direct ? 1 : 0),
                // Without --invalidate=0 fio drops the file from the page cache before it starts.
                "--invalidate=0", "--time_based", "--runtime=" + Math.max(1, duration.toMillis()) + "ms",
                "--numjobs=1", "--output-format=json"));
        if (tuning != Tuning.DEFAULTS && engine.equals("io_uring")) {
            args.addAll(List.of(
                    // Submit the whole depth with one io_uring_enter; reap whatever is done, up to the depth, but
                    // wait for one only: waiting for the whole depth starves an O_DIRECT device of requests.
                    "--iodepth_batch_submit=" + depth, "--iodepth_batch_complete_min=1",
                    "--iodepth_batch_complete_max=" + depth,
                    // READ_FIXED into registered buffers, a registered file: what aioops uring does too.
                    "--fixedbufs", "--registerfiles",
                    // A thread, not a forked process; no clock reads per I/O (latency statistics off); offsets
                    // drawn without tracking which blocks were read (aioops draws from a fixed table).
                    "--thread", "--gtod_reduce=1", "--norandommap", "--randrepeat=0"));
        }
        return args;
    }

    @Override
    public Trial run() throws Exception {
        List<String> command = new ArrayList<>(List.of("fio"));
        command.addAll(arguments());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // A fio that hangs must not hang the suite: its output ends when it is killed.
        CompletableFuture.delayedExecutor(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS)
                .execute(p::destroyForcibly);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("fio failed: " + command);
        }
        double bytes = number(IO_BYTES, out);
        long runtimeNanos = (long) (number(RUNTIME, out) * 1e6);
        long user = (long) (number(USR, out) / 100 * runtimeNanos);
        long system = (long) (number(SYS, out) / 100 * runtimeNanos);
        return new Trial(random ? bytes / block : bytes, runtimeNanos, user, system, 0);
    }

    private static double number(Pattern pattern, String json) {
        Matcher m = pattern.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("fio output lacks " + pattern.pattern());
        }
        return Double.parseDouble(m.group(1));
    }
}
