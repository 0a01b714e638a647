package dev.aioops.bench.jmh;

import dev.aioops.bench.crossthread.CrossThreadLoop;
import dev.aioops.bench.crossthread.CrossThreadProducer;
import dev.aioops.bench.crossthread.ThreadCounters;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.infra.ThreadParams;
import org.openjdk.jmh.runner.IterationType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Cross-thread {@code execute} throughput: one or two producer threads hand a loop an empty preallocated task (it
 * counts itself on the loop), each at most {@value CrossThreadProducer#WINDOW} messages ahead of the loop. The score
 * is messages per second. The loop is an aioops adapter or a peer: {@code jdk}
 * ({@code Executors.newSingleThreadExecutor()}) or {@code netty} (one Netty epoll event loop).
 *
 * <p>Secondary results, from the kernel's per-thread counters ({@link ThreadCounters}), as totals (JMH sums event
 * counters over threads and iterations): {@code messages} sent; {@code wakeups}, the producers' {@code write} system
 * calls (the {@code eventfd} writes that wake the loop); {@code loopSleeps}, the loop thread's voluntary context
 * switches. Each fork also prints the ratios over its measurement iterations: wake-ups per message, sleeps per
 * message, and wake-ups per sleep, the "at most one wake-up syscall per loop sleep". The JDK executor is
 * woken by {@code futex}, which is not counted: its wake-ups read 0.
 *
 * <pre>./mvnw -q -DskipTests -Pjmh package -pl bench -Djmh.args="CrossThread"</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms512m", "-Xmx512m"})
public class CrossThreadExecuteBenchmark {

    /**
     * The loop: an aioops adapter ({@code uring}, {@code epoll}, {@code vertx}) or a peer ({@code jdk},
     * {@code netty}).
     */
    @Param({"uring", "epoll", "vertx", "jdk", "netty"})
    public String adapter;

    private CrossThreadLoop loop;
    private final List<Producer> producers = new ArrayList<>();
    private long sleepsAtStart;
    private IterationTotals totals;
    private long measuredMessages;
    private long measuredSleeps;
    private long measuredWakeups;

    /** Creates the state. */
    public CrossThreadExecuteBenchmark() {
    }

    /** Opens the loop; fails (and JMH moves on to the next parameter) if it is not available here. */
    @Setup(Level.Trial)
    public void open() {
        loop = CrossThreadLoop.open(adapter);
    }

    /**
     * Closes the loop.
     *
     * @throws Exception if closing fails
     */
    @TearDown(Level.Trial)
    public void close() throws Exception {
        printRatios();
        loop.close();
    }

    /** Notes where the loop's sleep count stands as an iteration starts. */
    @Setup(Level.Iteration)
    public void startIteration() {
        sleepsAtStart = ThreadCounters.voluntarySwitches(loop.loopTid());
        totals = null;
    }

    /**
     * One producer thread.
     *
     * @param producer the thread's producer
     */
    @Benchmark
    @Threads(1)
    public void oneProducer(Producer producer) {
        producer.producer.send();
    }

    /**
     * Two producer threads (the machine's cores: the loop competes with them).
     *
     * @param producer the thread's producer
     */
    @Benchmark
    @Threads(2)
    public void twoProducers(Producer producer) {
        producer.producer.send();
    }

    private synchronized void register(Producer producer) {
        producers.add(producer);
    }

    /**
     * After the last message of an iteration (JMH's teardown runs once every producer has stopped): waits until the
     * loop has run every message, then counts the loop's sleeps, once for all producers.
     */
    private synchronized IterationTotals totals(boolean measured) {
        if (totals == null) {
            long messages = 0;
            for (Producer p : producers) {
                p.producer.drain();
                messages += p.producer.sent() - p.sentAtStart;
            }
            totals = new IterationTotals(messages, ThreadCounters.voluntarySwitches(loop.loopTid()) - sleepsAtStart);
            if (measured) {
                measuredMessages += totals.messages();
                measuredSleeps += totals.sleeps();
            }
        }
        return totals;
    }

    private synchronized void addWakeups(long wakeups, boolean measured) {
        if (measured) {
            measuredWakeups += wakeups;
        }
    }

    /** The ratios over every measurement iteration, printed at the end of the trial (JMH shows the fork's output). */
    private synchronized void printRatios() {
        if (measuredMessages == 0) {
            return;
        }
        System.out.printf(Locale.ROOT, "%n%s, %d producer(s), totals over the measurement iterations: "
                        + "%.4f wake-up syscalls per message, %.4f loop sleeps per message, %s wake-up syscalls "
                        + "per loop sleep%s%n", loop.name(), producers.size(),
                (double) measuredWakeups / measuredMessages, (double) measuredSleeps / measuredMessages,
                measuredSleeps == 0 ? "—" : String.format(Locale.ROOT, "%.3f",
                        (double) measuredWakeups / measuredSleeps),
                loop.wakeupsCounted() ? "" : " (its wake-ups are futex calls, not counted)");
    }

    private record IterationTotals(long messages, long sleeps) {
    }

    /**
     * One producer thread's state. JMH sums an event counter over the threads and the measurement iterations, so
     * these are totals: divide {@code wakeups} by {@code messages} or {@code loopSleeps} for the ratios (also
     * printed at the end of each fork).
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Producer {
        /** Messages this thread sent. */
        public long messages;
        /** Wake-up syscalls this thread made (its {@code write}s: the loop's {@code eventfd}). */
        public long wakeups;
        /** The loop thread's sleeps (voluntary context switches), reported by thread 0 only. */
        public long loopSleeps;

        CrossThreadProducer producer;
        long sentAtStart;
        private int tid;
        private boolean first;
        private long writesAtStart;

        /** Creates the state. */
        public Producer() {
        }

        /**
         * Creates this thread's producer.
         *
         * @param bench  the benchmark
         * @param thread which thread this is
         */
        @Setup(Level.Trial)
        public void open(CrossThreadExecuteBenchmark bench, ThreadParams thread) {
            producer = new CrossThreadProducer(bench.loop);
            tid = ThreadCounters.currentTid();
            first = thread.getThreadIndex() == 0;
            bench.register(this);
        }

        /** Notes where this thread's counters stand as an iteration starts. */
        @Setup(Level.Iteration)
        public void startIteration() {
            writesAtStart = ThreadCounters.writeSyscalls(tid);
            sentAtStart = producer.sent();
        }

        /**
         * Takes this thread's counts of the iteration.
         *
         * @param bench     the benchmark
         * @param iteration whether this is a warm-up or a measurement iteration
         */
        @TearDown(Level.Iteration)
        public void finishIteration(CrossThreadExecuteBenchmark bench, IterationParams iteration) {
            boolean measured = iteration.getType() == IterationType.MEASUREMENT;
            IterationTotals t = bench.totals(measured);
            messages = producer.sent() - sentAtStart;
            wakeups = ThreadCounters.writeSyscalls(tid) - writesAtStart;
            loopSleeps = first ? t.sleeps() : 0;
            bench.addWakeups(wakeups, measured);
        }
    }
}
