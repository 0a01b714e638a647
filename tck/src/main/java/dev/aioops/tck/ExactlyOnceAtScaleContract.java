package dev.aioops.tck;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exactly once at scale: a randomized, seeded run of mixed operations — file reads checked against the file,
 * file writes read back and compared, socket echoes compared, timeouts, eventfd signals and reads (each read
 * must see exactly the signalled value), cancels of live operations, of recent tokens, of finished ones, of bogus
 * values and of another instance's tokens, and handles (files, sockets, eventfds) closed with operations in
 * flight — submitted from three foreign threads and from the loop (through {@code execute} and from
 * completions). Every submission is counted: none may be lost, none completed twice, every completion must run
 * on the loop, and every byte read must be right.
 *
 * <p>The short run in the build makes {@value #DEFAULT_OPERATIONS} submissions (a few seconds). The long one is
 * a system property away; for example, on the epoll adapter:
 *
 * <pre>{@code
 * ./mvnw -B -ntp verify -pl epoll-adapter -am -Dtest=EpollExactlyOnceAtScaleContractTest \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Daioops.tck.scale.operations=1000000
 * }</pre>
 *
 * (and {@code -pl uring-adapter}/{@code UringExactlyOnceAtScaleContractTest}, {@code -pl vertx-adapter}/
 * {@code VertxExactlyOnceAtScaleContractTest} or {@code RingExactlyOnceAtScaleContractTest} for the others). A
 * failure names its seed; {@code -Daioops.tck.scale.seed=<seed>} runs the same mix again (the interleaving,
 * being up to the threads, differs). Each run prints one line with its figures.
 */
public abstract class ExactlyOnceAtScaleContract extends AioContract {

    /** The system property with the number of submissions to make. */
    public static final String OPERATIONS_PROPERTY = "aioops.tck.scale.operations";

    /** The system property with the seed of the mix; random by default. */
    public static final String SEED_PROPERTY = "aioops.tck.scale.seed";

    private static final int DEFAULT_OPERATIONS = 100_000;
    private static final int FOREIGN_THREADS = 3;
    private static final int MAX_TASKS_IN_FLIGHT = 256;
    private static final int PAIRS = 16;
    private static final int EVENTFDS = 16;
    private static final int FOREIGN_TOKENS = 16;
    private static final int STATIC_SIZE = 1 << 20;
    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    /** For subclasses. */
    protected ExactlyOnceAtScaleContract() {
    }

    /**
     * How many submissions the run makes.
     *
     * @return {@value #OPERATIONS_PROPERTY}, or {@value #DEFAULT_OPERATIONS}
     */
    protected int operations() {
        return Integer.getInteger(OPERATIONS_PROPERTY, DEFAULT_OPERATIONS);
    }

    @Test
    @Timeout(value = 4, unit = TimeUnit.HOURS) // the run's own deadlines scale with its size; this is a backstop
    void randomizedMixedOperationsFromManyThreadsEachCompleteExactlyOnce() throws Exception {
        long seed = Long.getLong(SEED_PROPERTY, new SplittableRandom().nextLong());
        try {
            run(seed, operations());
        } catch (AssertionError | Exception e) {
            throw new AssertionError("exactly-once at scale failed on " + ops.adapterName() + " with seed " + seed
                    + " (run it again with -D" + SEED_PROPERTY + "=" + seed + "): " + e.getMessage(), e);
        }
    }

    private void run(long seed, int target) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] content = new byte[STATIC_SIZE];
        new SplittableRandom(random.nextLong()).nextBytes(content);
        Path staticPath = tempDir.resolve("static.bin");
        Files.write(staticPath, content);
        int staticFile = open(staticPath, AioOpenOption.READ);
        Path scratch = tempDir.resolve("scratch.bin");
        int scratchFile = open(scratch, AioOpenOption.READ, AioOpenOption.WRITE, AioOpenOption.CREATE);
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < PAIRS; i++) {
            pairs.add(connectedPair());
        }
        List<Integer> eventfds = new ArrayList<>();
        for (int i = 0; i < EVENTFDS; i++) {
            eventfds.add(eventfd(0));
        }
        int listener = listen();

        // Another instance of the same adapter, whose live tokens are cancelled on this one.
        AioOperations other = provider().open(config());
        AtomicIntegerArray foreignCalls = new AtomicIntegerArray(FOREIGN_TOKENS);
        AtomicIntegerArray foreignResults = new AtomicIntegerArray(FOREIGN_TOKENS);
        AioCompletion<Integer> foreign = (result, index) -> {
            foreignResults.set(index, result);
            foreignCalls.incrementAndGet(index);
        };
        long[] foreignTokens = new long[FOREIGN_TOKENS];
        for (int i = 0; i < FOREIGN_TOKENS; i++) {
            foreignTokens[i] = other.timeout(HOUR, i, foreign);
        }

        ScaleWorkload workload = new ScaleWorkload(ops, arena, new ScaleMix.Setup(staticPath, staticFile,
                content, scratchFile, listener, addressOf(listener), pairs, eventfds, foreignTokens),
                MAX_TASKS_IN_FLIGHT);
        long budgetNanos = TimeUnit.SECONDS.toNanos(60) + TimeUnit.MILLISECONDS.toNanos(target);
        long start = System.nanoTime();
        long deadline = start + budgetNanos;
        List<Thread> drivers = new ArrayList<>();
        boolean[] gotRoom = new boolean[FOREIGN_THREADS];
        Throwable[] thrown = new Throwable[FOREIGN_THREADS];
        for (int t = 0; t < FOREIGN_THREADS; t++) {
            int index = t;
            SplittableRandom own = random.split();
            drivers.add(Thread.ofPlatform().name("scale-driver-" + t).start(() -> {
                try {
                    gotRoom[index] = workload.drive(own, target, deadline);
                } catch (Throwable e) {
                    thrown[index] = e;
                }
            }));
        }
        for (Thread t : drivers) {
            t.join(TimeUnit.NANOSECONDS.toMillis(budgetNanos) + 10_000);
        }
        boolean quiet = workload.awaitQuiet(deadline);
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        String census = workload.census();

        boolean foreignUntouched = true;
        for (int i = 0; i < FOREIGN_TOKENS; i++) {
            foreignUntouched &= foreignCalls.get(i) == 0;
        }
        other.close();
        workload.closing();
        ops.close();
        SubmissionLedger ledger = workload.ledger();
        int lost = ledger.lost();
        int doubled = ledger.doubled();
        System.out.printf("[aioops-tck] exactly-once at scale on %s: %d submissions in %d ms from %d threads and "
                        + "the loop; lost %d, doubled %d, off the loop %d, failures %d; %d bytes verified, %d "
                        + "-ECANCELED seen; seed %d; tasks: %s%n", ops.adapterName(), ledger.issued(), elapsedMillis,
                FOREIGN_THREADS, lost, doubled, ledger.offLoop(), workload.failureCount(), workload.bytesVerified(),
                workload.cancelledSeen(), seed, census);

        for (int t = 0; t < FOREIGN_THREADS; t++) {
            assertThat(thrown[t]).as("driver %d threw", t).isNull();
            assertThat(drivers.get(t).isAlive()).as("driver %d still running", t).isFalse();
        }
        assertThat(workload.failures()).as("wrong results or data (%d in all); tasks: %s",
                workload.failureCount(), census).isEmpty();
        assertThat(gotRoom).as("drivers that found room for a new task in time (else tasks hung); tasks: %s",
                census).containsOnly(true);
        assertThat(quiet).as("every task ended before close; tasks: %s", census).isTrue();
        assertThat(lost).as("submissions never completed").isZero();
        assertThat(doubled).as("submissions completed more than once").isZero();
        assertThat(ledger.offLoop()).as("completions off the loop").isZero();
        assertThat(ledger.issued()).isGreaterThanOrEqualTo(target);
        assertThat(foreignUntouched).as("another instance's operations left alone by cancels of their tokens here")
                .isTrue();
        for (int i = 0; i < FOREIGN_TOKENS; i++) {
            assertThat(foreignCalls.get(i)).as("foreign timeout %d completions", i).isEqualTo(1);
            assertThat(foreignResults.get(i)).as("foreign timeout %d at its instance's close: %s", i,
                    AioErrno.name(foreignResults.get(i))).isEqualTo(-AioErrno.ECANCELED);
        }
    }
}
