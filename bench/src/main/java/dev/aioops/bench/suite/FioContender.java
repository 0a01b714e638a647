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
 * <p>Its CPU time is that of the whole fio process, every thread and forked job included (an SQ poll thread too),
 * as its shell sees it once fio has exited; that span includes fio's start-up, a few milliseconds.
 */
final class FioContender implements Contender {

    /** How fio is run: the ratios of the report are taken against {@link #TUNED}. */
    enum Tuning {
        /** fio's defaults for the engine: one SQE per {@code io_uring_enter}, one completion reaped per call. */
        DEFAULTS("defaults"),
        /**
         * fio at its best here without a polling thread: submissions and completions batched to the depth,
         * registered buffers ({@code READ_FIXED}) and file, one process, no per-I/O clock reads, no random map
         * (bench/README.md has the measurements behind each flag).
         */
        TUNED("tuned"),
        /** {@link #TUNED} plus a kernel SQ poll thread, which burns a core of its own: counted in fio's CPU. */
        SQPOLL("tuned, SQ poll");

        final String label;

        Tuning(String label) {
            this.label = label;
        }
    }

    /** fio's JSON gives the bytes done; its shell prints its own stat line after it, with fio's CPU as cutime. */
    private static final Pattern IO_BYTES = Pattern.compile("\"io_bytes\"\\s*:\\s*([0-9]+)");
    private static final Pattern RUNTIME = Pattern.compile("\"job_runtime\"\\s*:\\s*([0-9]+)");
    private static final String STAT_MARK = "FIO-SHELL-STAT ";
    /** Runs fio, then reads the shell's own stat line with a built-in (no child), preserving fio's exit status. */
    private static final String SHELL = "fio \"$@\"; s=$?; read -r stat < /proc/$$/stat; echo \"" + STAT_MARK
            + "$stat\"; exit $s";

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
                    // Submit the whole depth with one io_uring_enter, and reap at least that many per call.
                    "--iodepth_batch_submit=" + depth, "--iodepth_batch_complete_min=" + depth,
                    "--iodepth_batch_complete_max=" + depth,
                    // READ_FIXED into registered buffers, a registered file: what aioops uring does too.
                    "--fixedbufs", "--registerfiles",
                    // A thread, not a forked process; no clock reads per I/O (latency statistics off); offsets
                    // drawn without tracking which blocks were read (aioops draws from a fixed table).
                    "--thread", "--gtod_reduce=1", "--norandommap", "--randrepeat=0"));
            if (tuning == Tuning.SQPOLL) {
                args.add("--sqthread_poll=1");
            }
        }
        return args;
    }

    @Override
    public Trial run() throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c", SHELL, "sh"));
        command.addAll(arguments());
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        // A fio that hangs must not hang the suite: its output ends when it is killed.
        CompletableFuture.delayedExecutor(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS)
                .execute(() -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("fio failed: " + command);
        }
        int mark = out.lastIndexOf(STAT_MARK);
        if (mark < 0) {
            throw new IllegalStateException("fio's shell printed no stat line: " + command);
        }
        CpuTime cpu = CpuTime.parse(out.substring(mark + STAT_MARK.length()).strip(), true);
        double bytes = number(IO_BYTES, out);
        long runtimeNanos = (long) (number(RUNTIME, out) * 1e6);
        return new Trial(random ? bytes / block : bytes, runtimeNanos, cpu.userNanos(), cpu.systemNanos(), 0);
    }

    private static double number(Pattern pattern, String json) {
        Matcher m = pattern.matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("fio output lacks " + pattern.pattern());
        }
        return Double.parseDouble(m.group(1));
    }
}
