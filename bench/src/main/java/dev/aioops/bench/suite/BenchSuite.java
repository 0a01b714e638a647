package dev.aioops.bench.suite;

import dev.aioops.bench.crossthread.CrossLoopPair;
import dev.aioops.bench.crossthread.CrossThreadProducer;
import dev.aioops.spi.Aio;
import dev.aioops.fixtures.RedisServerFixture;
import dev.aioops.spi.AioProvider;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Runs the benchmark suite: every workload with every contender, side by side in one run, and writes the report.
 *
 * <pre>
 *   BenchSuite quick             under a minute: small files, short runs (the README's main command)
 *   BenchSuite full              the full suite (several minutes), results into bench/results/
 *   BenchSuite full --only NAME  only the workloads whose name contains NAME, into target/bench-only-*
 *   ... --trial-ms 2000          a longer timed run (quick: 200 ms)
 *   ... --variant TEXT           only the variants (e.g. "1 connection, 64 B") that contain TEXT
 *   BenchSuite report DIR        redraws DIR/summary.md and DIR/charts from DIR/results.csv
 * </pre>
 *
 * Work files go to {@code target/bench-data} (kept between runs, so the 1 GiB file is written once).
 */
public final class BenchSuite {

    private static final int CHECKSUM_BLOCK = 32 * 1024;
    static final int CHECKSUM_IN_FLIGHT = 4;
    /** Producers of the cross-thread workload: one per core of the 2-core machine, the loop competing with them. */
    static final int CROSS_THREAD_PRODUCERS = 2;
    /** The virtual-thread workloads (issue 16): each contender's code parks 1,000 virtual threads. */
    static final String VIRTUAL_THREAD_READS = "virtual threads: 4 KiB random reads";
    static final String VIRTUAL_THREAD_PING_PONG = "virtual threads: TCP ping-pong";

    private final boolean full;
    /** How long one timed run of a contender lasts (workloads of a fixed size, such as checksums, ignore it). */
    private final Duration trialTime;
    private final String only;
    /** Only the variants containing this, or null; set by {@code --variant}. */
    private final String variant;
    private final Path data;
    private final List<AioProvider> adapters;
    private final List<String> failures = new ArrayList<>();
    private RedisServerFixture redis;

    private BenchSuite(boolean full, String only, String variant, Path data, Duration trialTime) {
        this.variant = variant;
        this.full = full;
        this.trialTime = trialTime != null ? trialTime : full ? Duration.ofSeconds(2) : Duration.ofMillis(200);
        this.only = only;
        this.data = data;
        this.adapters = Aio.providers();
    }

    /**
     * Runs the suite.
     *
     * @param args {@code quick} or {@code full}, optionally {@code --only NAME} and {@code --trial-ms N} (the time of
     *             one timed run of the workloads that run for a time)
     * @throws Exception if a contender fails (a wrong checksum, a failed read)
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 1 && args[0].equals("report")) {
            redraw(Path.of(args[1]));
            return;
        }
        boolean full = args.length > 0 && args[0].equals("full");
        String only = null;
        String variant = null;
        Duration trialTime = null;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--only")) {
                only = args[i + 1];
            } else if (args[i].equals("--variant")) {
                variant = args[i + 1];
            } else if (args[i].equals("--trial-ms")) {
                trialTime = Duration.ofMillis(Long.parseLong(args[i + 1]));
            }
        }
        Path data = Path.of("target", "bench-data");
        Files.createDirectories(data);
        new BenchSuite(full, only, variant, data, trialTime).run();
    }

    /** Redraws summary.md and the charts of a results directory from its results.csv. */
    private static void redraw(Path dir) throws Exception {
        List<Summary> summaries = ResultsCsv.read(dir.resolve("results.csv"));
        String machine = Files.readString(dir.resolve("machine.txt")).trim();
        Report report = new Report(summaries, Targets.all(), machine);
        System.out.println(report.table());
        report.write(dir);
        Charts.write(summaries, dir.resolve("charts"));
    }

    private void run() throws Exception {
        String machine = Machine.describe();
        System.out.println("aioops benchmark suite (" + (full ? "full" : "quick") + "): " + machine);
        long start = System.nanoTime();
        List<Plan> plans = plans();
        List<Summary> summaries = new ArrayList<>();
        int reps = 3;
        for (int p = 0; p < plans.size(); p++) {
            Plan plan = plans.get(p);
            Workload w = plan.workload().get();
            if (variant != null && !w.variant().contains(variant)) {
                continue;
            }
            System.out.printf(Locale.ROOT, "[%d/%d] %s — %s  (at %.0f s)%n", p + 1, plans.size(), w.name(),
                    w.variant(), (System.nanoTime() - start) / 1e9);
            summaries.addAll(runWorkload(w, reps));
        }
        if (redis != null) {
            redis.close();
        }
        Report report = new Report(summaries, Targets.all(), machine);
        System.out.println(report.table());
        // Only a full run of every workload replaces the committed report; a partial one goes beside it.
        Path out = full && only == null ? Path.of("bench", "results")
                : Path.of("target", "bench-" + (full ? "only-" : "quick-") + LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        report.write(out);
        Charts.write(summaries, out.resolve("charts"));
        String carriers = CarrierPeak.table();
        if (!carriers.isEmpty()) {
            System.out.println(carriers);
            Files.writeString(out.resolve("carriers.md"), carriers);
        }
        String idle = IdleMemory.table();
        if (!idle.isEmpty()) {
            System.out.println(idle);
            Files.writeString(out.resolve("idle-memory.md"), idle);
        }
        System.out.printf(Locale.ROOT, "results: %s  (%d workload%s in %.0f s)%n", out.toAbsolutePath(),
                plans.size(), plans.size() == 1 ? "" : "s", (System.nanoTime() - start) / 1e9);
        if (!failures.isEmpty()) {
            System.out.println("FAILED contenders:");
            failures.forEach(f -> System.out.println("  " + f));
            System.exit(1);
        }
    }

    private List<Summary> runWorkload(Workload w, int reps) throws Exception {
        List<Contender> contenders = w.contenders();
        List<List<Trial>> trials = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Contender c : contenders) {
            trials.add(new ArrayList<>());
            skipped.add(c.unavailable());
        }
        try {
            // One unmeasured warm-up round, then the repetitions, each in a rotated order.
            for (int rep = 0; rep <= reps; rep++) {
                for (int k = 0; k < contenders.size(); k++) {
                    int i = (k + rep) % contenders.size();
                    if (skipped.get(i) != null) {
                        continue;
                    }
                    Trial t;
                    try {
                        t = contenders.get(i).run();
                    } catch (Exception | AssertionError e) {
                        // One contender failing must not cost the rest of a long run: it is reported, and the
                        // suite exits non-zero at the end.
                        failures.add(w.name() + " / " + w.variant() + " / " + contenders.get(i).name() + ": " + e);
                        skipped.set(i, "FAILED: " + e);
                        trials.get(i).clear();
                        System.out.println("      FAILED " + contenders.get(i).name() + ": " + e);
                        continue;
                    }
                    if (rep > 0) {
                        trials.get(i).add(t);
                        System.out.printf(Locale.ROOT, "      rep %d/%d  %-26s %,14.0f %s%n", rep, reps,
                                contenders.get(i).name(), t.perSecond() / w.unit().scale, w.unit().label);
                    }
                }
            }
        } finally {
            for (Contender c : contenders) {
                try {
                    c.close();
                } catch (Exception e) {
                    // The rest still get closed; the failure is reported like a failed run.
                    failures.add(w.name() + " / " + w.variant() + " / " + c.name() + ": close: " + e);
                    System.out.println("      FAILED to close " + c.name() + ": " + e);
                }
            }
        }
        checkAgreement(w, contenders, trials);
        BatchSizes.collect(w, contenders);
        List<Summary> result = new ArrayList<>();
        for (int i = 0; i < contenders.size(); i++) {
            result.add(new Summary(w, contenders.get(i).name(), trials.get(i), skipped.get(i)));
        }
        return result;
    }

    /** Contenders that compute a check value (a checksum) must all agree, or the comparison means nothing. */
    private static void checkAgreement(Workload w, List<Contender> contenders, List<List<Trial>> trials) {
        Long expected = null;
        for (int i = 0; i < contenders.size(); i++) {
            for (Trial t : trials.get(i)) {
                if (t.check() == 0) {
                    continue;
                }
                if (expected == null) {
                    expected = t.check();
                } else if (expected != t.check()) {
                    throw new IllegalStateException(w.name() + ": " + contenders.get(i).name() + " computed "
                            + t.check() + ", others " + expected);
                }
            }
        }
    }

    private List<Plan> plans() throws IOException {
        List<Plan> plans = new ArrayList<>();
        long[] checksumSizes = full ? new long[]{1L << 20, 64L << 20, 1L << 30} : new long[]{64L << 20};
        for (long size : checksumSizes) {
            plans.add(new Plan("file checksum", () -> checksum(size, false)));
        }
        long[] directChecksumSizes = full ? new long[]{64L << 20, 1L << 30} : new long[0];
        for (long size : directChecksumSizes) {
            plans.add(new Plan("file checksum", () -> checksum(size, true)));
        }
        int[] depths = full ? new int[]{1, 32, 128} : new int[]{32};
        boolean[] directs = full ? new boolean[]{false, true} : new boolean[]{false};
        for (boolean direct : directs) {
            for (int depth : depths) {
                plans.add(new Plan("4 KiB random reads", () -> randomReads(depth, direct)));
            }
        }
        int[] connectionCounts = full ? new int[]{1, 100, 1000} : new int[]{100};
        for (int connections : connectionCounts) {
            plans.add(new Plan("TCP ping-pong", () -> pingPong(connections, 64)));
        }
        if (full) {
            for (int connections : new int[]{1, 100, 1000}) {
                plans.add(new Plan("TCP ping-pong", () -> pingPong(connections, 16 * 1024)));
            }
        }
        plans.add(new Plan("HTTP", () -> http(64, 4096)));
        if (full || only != null) {
            plans.add(new Plan("HTTP", () -> http(64, 1 << 20)));
            // 3-second trials (wrk counts whole seconds) would double the quick run: full runs, or asked for by name.
            plans.add(new Plan("HTTP group", () -> HttpGroupWorkload.of(adapters, data, 64,
                    Duration.ofSeconds(3))));
        }
        int[] redisDepths = full ? new int[]{1, 64} : new int[]{64};
        for (int depth : redisDepths) {
            plans.add(new Plan("Redis GET", () -> redis(RedisContenders.Command.GET, depth)));
        }
        int[] redisSetDepths = full ? new int[]{1, 64} : new int[0];
        for (int depth : redisSetDepths) {
            plans.add(new Plan("Redis SET", () -> redis(RedisContenders.Command.SET, depth)));
        }
        int[] streamSizes = full ? new int[]{64, 16 * 1024} : new int[]{16 * 1024};
        int[] streamConnections = full ? new int[]{1, 100, 1000} : new int[]{100};
        for (int size : streamSizes) {
            for (int connections : streamConnections) {
                plans.add(new Plan("TCP streaming", () -> streaming(connections, size)));
            }
        }
        plans.add(new Plan("cross-thread execute", () -> crossThread(CROSS_THREAD_PRODUCERS)));
        long virtualThreadFile = full ? 1L << 30 : 64L << 20;
        plans.add(new Plan(VIRTUAL_THREAD_READS, () -> virtualThreadReads(virtualThreadFile)));
        plans.add(new Plan(VIRTUAL_THREAD_PING_PONG, this::virtualThreadPingPong));
        plans.add(new Plan("cross-loop messages", () -> crossLoop(1, 1)));
        plans.add(new Plan("cross-loop messages",
                () -> crossLoop(CrossLoopPair.WINDOW, CrossLoopPair.ACK_EVERY)));
        plans.add(new Plan("group kernel workers", this::groupWorkers));
        plans.add(new Plan("idle memory", () -> new Workload("idle memory", String.format(Locale.ROOT,
                "%,d idle loopback connections, server in a child JVM: connect rate (memory: idle-memory.md)",
                IdleMemoryContenders.CONNECTIONS), Workload.Unit.OPS_PER_SECOND, "Netty io_uring",
                IdleMemoryContenders.all(adapters))));
        return only == null ? plans : plans.stream().filter(p -> p.name().contains(only)).toList();
    }

    private Workload virtualThreadReads(long size) {
        Path file = dataFile(size);
        return new Workload(VIRTUAL_THREAD_READS, sizeLabel(size) + ", page cache, "
                + VirtualThreadContenders.THREADS + " virtual threads", Workload.Unit.OPS_PER_SECOND, "FileChannel",
                VirtualThreadContenders.fileReads(VIRTUAL_THREAD_READS, adapters, file, trialTime));
    }

    private Workload virtualThreadPingPong() {
        return new Workload(VIRTUAL_THREAD_PING_PONG, tcpVariant(VirtualThreadContenders.THREADS, 64),
                Workload.Unit.OPS_PER_SECOND, "SocketChannel",
                VirtualThreadContenders.pingPong(VIRTUAL_THREAD_PING_PONG, adapters, trialTime));
    }

    private Workload checksum(long size, boolean direct) {
        Path file = dataFile(size);
        int passes = full ? (int) Math.max(1, (256L << 20) / size) : 2;
        int block = CHECKSUM_BLOCK;
        int inFlight = CHECKSUM_IN_FLIGHT;
        List<Contender> contenders = new ArrayList<>();
        for (AioProvider a : adapters) {
            contenders.add(ChecksumContenders.aioops(a, file, block, inFlight, passes, direct));
        }
        contenders.add(VertxChecksumContenders.sharedRing(file, block, inFlight, passes, direct));
        contenders.add(VertxChecksumContenders.asyncFile(file, block, inFlight, passes, direct));
        contenders.add(ChecksumContenders.asynchronousFileChannel(file, block, inFlight, passes, direct));
        if (!direct) {
            contenders.addAll(Nio2Contenders.checksum(adapters, file, block, inFlight, passes));
        }
        contenders.add(ChecksumContenders.blockingFileChannel(file, block, passes, direct));
        if (direct) {
            try {
                contenders = ChecksumContenders.agreeingWithCachedSum(file, contenders);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        // fio reads and sums nothing: beside the sums, not among those that must agree.
        contenders = new ArrayList<>(contenders);
        contenders.add(FioContender.sequentialReads(FioContender.Tuning.TUNED, file, block, inFlight, direct,
                trialTime));
        return new Workload("file checksum", sizeLabel(size) + (direct ? ", O_DIRECT" : ", page cache")
                + ", 32 KiB blocks, " + inFlight + " in flight", Workload.Unit.MIB_PER_SECOND,
                "AsynchronousFileChannel", contenders);
    }

    private Workload randomReads(int depth, boolean direct) {
        long size = full ? 1L << 30 : 256L << 20;
        Path file = dataFile(size);
        Duration duration = trialTime;
        List<Contender> contenders = new ArrayList<>();
        for (AioProvider a : adapters) {
            contenders.add(RandomReadContenders.aioops(a, file, depth, direct, duration));
        }
        contenders.add(RandomReadContenders.asynchronousFileChannel(file, depth, direct, duration));
        contenders.add(FioContender.randomReads("io_uring", FioContender.Tuning.TUNED, file, depth, direct, duration));
        contenders.add(FioContender.randomReads("io_uring", FioContender.Tuning.DEFAULTS, file, depth, direct,
                duration));
        if (full) {
            contenders.add(FioContender.randomReads("psync", FioContender.Tuning.DEFAULTS, file, depth, direct,
                    duration));
        }
        return new Workload("4 KiB random reads", sizeLabel(size) + (direct ? ", O_DIRECT" : ", page cache") + ", "
                + depth + " in flight", Workload.Unit.OPS_PER_SECOND, "AsynchronousFileChannel", contenders);
    }

    private Workload pingPong(int connections, int size) {
        Duration duration = trialTime;
        List<Contender> contenders = new ArrayList<>(PingPongContenders.all(adapters, connections, size, duration));
        contenders.addAll(Nio2Contenders.pingPong(adapters, connections, size, duration));
        return new Workload("TCP ping-pong", tcpVariant(connections, size), Workload.Unit.OPS_PER_SECOND,
                "Netty io_uring", contenders);
    }

    private Workload streaming(int connections, int size) {
        Duration duration = trialTime;
        return new Workload("TCP streaming", tcpVariant(connections, size), Workload.Unit.MIB_PER_SECOND,
                "Netty io_uring", StreamingContenders.all(adapters, connections, size, duration));
    }

    /**
     * GETs of one file: 4 KiB (nginx reads it and writes head and body in one writev, its cheapest for a small file)
     * or 1 MiB (nginx with sendfile, as the http example's zero-copy send above its threshold).
     */
    private Workload http(int connections, int size) {
        Path root = data.resolve("www");
        boolean large = size >= 1 << 20;
        String file = large ? (size >> 20) + "m.bin" : (size >> 10) + "k.txt";
        try {
            Files.createDirectories(root);
            BenchFiles.file(root, file, size);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Duration duration = full ? Duration.ofSeconds(3) : trialTime;
        HttpLoadGenerator load = HttpLoadGenerator.chosen();
        List<Contender> contenders = new ArrayList<>();
        for (AioProvider a : adapters) {
            contenders.add(HttpContenders.aioops(a, root, file, connections, duration, load));
        }
        contenders.add(HttpContenders.vertxSendFile(root, file, connections, duration, load));
        contenders.addAll(HttpContenders.variants(adapters, root, file, connections, duration, load));
        contenders.add(new NginxContender(root, file, connections, duration, load, 1, large));
        contenders.add(new NginxContender(root, file, connections, duration, load, 2, large));
        return new Workload("HTTP static file", (large ? (size >> 20) + " MiB" : (size >> 10) + " KiB") + " file, "
                + connections + " keep-alive connections, " + load.label(), Workload.Unit.OPS_PER_SECOND,
                "Vert.x sendFile", contenders);
    }

    private Workload redis(RedisContenders.Command command, int depth) {
        InetSocketAddress server = redisServer().address();
        Duration duration = trialTime;
        List<Contender> contenders = new ArrayList<>();
        for (AioProvider a : adapters) {
            contenders.add(RedisContenders.aioops(a, server, command, depth, duration));
        }
        contenders.add(RedisContenders.lettuce(server, command, depth, duration));
        return new Workload("Redis " + command, (depth == 1 ? "unpipelined" : "pipelined " + depth + " deep")
                + ", one connection, 64-byte value", Workload.Unit.OPS_PER_SECOND, "Lettuce", contenders);
    }

    private Workload crossThread(int producers) {
        Duration duration = trialTime;
        List<Contender> contenders = new ArrayList<>();
        for (AioProvider a : adapters) {
            contenders.add(CrossThreadContenders.aioops(a, producers, duration));
        }
        contenders.add(CrossThreadContenders.jdkSingleThread(producers, duration));
        contenders.add(CrossThreadContenders.nettyEpoll(producers, duration));
        return new Workload("cross-thread execute", crossThreadVariant(producers), Workload.Unit.OPS_PER_SECOND,
                "Netty epoll event loop", contenders);
    }

    private Workload crossLoop(int window, int ackEvery) {
        List<Contender> contenders = List.of(CrossLoopContenders.uring(true, trialTime, window, ackEvery),
                CrossLoopContenders.uring(false, trialTime, window, ackEvery),
                CrossLoopContenders.netty(true, trialTime, window, ackEvery),
                CrossLoopContenders.netty(false, trialTime, window, ackEvery));
        return new Workload("cross-loop messages", window == 1 ? "a group of 2 loops, ping-pong between members"
                : "a group of 2 loops, member 0 to member 1, at most " + window + " unacknowledged, acknowledged "
                + "every " + ackEvery, Workload.Unit.OPS_PER_SECOND, "Netty EventLoopGroup, epoll", contenders);
    }

    private Workload groupWorkers() {
        List<Contender> contenders = new ArrayList<>();
        for (int cap : new int[]{0, 64}) {
            for (boolean sqPoll : new boolean[]{false, true}) {
                contenders.add(GroupWorkersContenders.contender(true, sqPoll, cap, data, trialTime));
                contenders.add(GroupWorkersContenders.contender(false, sqPoll, cap, data, trialTime));
            }
        }
        return new Workload("group kernel workers", "a uring group of 2, " + GroupWorkersContenders.FILES
                + " files x " + GroupWorkersContenders.DEPTH + " O_DSYNC buffered 64 KiB writes in flight per "
                + "member, default maxKernelWorkers or 64 (peak iou-wrk threads printed per run)",
                Workload.Unit.MIB_PER_SECOND, "aioops uring group of 2, independent rings", contenders);
    }

    static String crossThreadVariant(int producers) {
        return producers + " producer threads, empty task, at most " + CrossThreadProducer.WINDOW
                + " pending per producer";
    }

    /** The Redis server of the run: started at the first Redis workload, stopped when the suite ends. */
    private RedisServerFixture redisServer() {
        if (redis == null) {
            try {
                redis = RedisServerFixture.start();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return redis;
    }

    private Path dataFile(long size) {
        try {
            Path file = BenchFiles.file(data, "data-" + size + ".bin", size);
            BenchFiles.warm(file);
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String tcpVariant(int connections, int size) {
        return (size >= 1024 ? size / 1024 + " KiB" : size + " B") + " messages, " + connections
                + (connections == 1 ? " connection" : " connections") + ", loopback";
    }

    private static String sizeLabel(long size) {
        return size >= 1L << 30 ? (size >> 30) + " GiB" : (size >> 20) + " MiB";
    }

    /** A workload to build when its turn comes (building it may write a data file). */
    private record Plan(String name, Supplier<Workload> workload) {
    }
}
