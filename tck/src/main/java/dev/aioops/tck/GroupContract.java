package dev.aioops.tck;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Groups ({@link AioGroup}): members by index and in round-robin order, the member that owns the calling thread,
 * tasks on a given member, members that are independent working instances, misuse refused at once, and a close
 * that keeps every member's guarantees (each operation in flight completes once, nothing runs after close returns)
 * from any thread, a member's own loop included, concurrently and more than once.
 *
 * <p>Each test opens its own groups with {@link AioProvider#openGroup}; {@link #ops} is not used. Run it with a
 * thin subclass per adapter, outside the suite's run on a group member (which would nest groups).
 */
public abstract class GroupContract extends AioContract {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final int TASKS = 1_000_000;
    private static final int FOREIGN_PRODUCERS = 2;

    private final List<AioGroup> groups = new ArrayList<>();

    /** For subclasses. */
    protected GroupContract() {
    }

    /** Skips the test when the adapter is not available; opens no instance. */
    @BeforeEach
    @Override
    protected void openOperations() {
        AioProvider provider = provider();
        assumeTrue(provider.isAvailable(), () -> provider.name() + " is not available: "
                + provider.unavailabilityCause());
        arena = Arena.ofShared();
    }

    /** Closes every group the test opened (a second close of a closed group must be harmless), then the arena. */
    @AfterEach
    @Override
    protected void closeOperations() {
        try {
            for (AioGroup g : groups) {
                g.close();
            }
        } finally {
            super.closeOperations();
        }
    }

    /**
     * Opens a group of the adapter under test with {@link #config()}, closed after the test.
     *
     * @param size how many members
     * @return the group
     */
    protected AioGroup openGroup(int size) {
        AioGroup g = provider().openGroup(config(), size);
        groups.add(g);
        return g;
    }

    @Test
    @Timeout(60)
    void membersByIndexAndInRoundRobinOrder() {
        AioGroup g = openGroup(3);
        assertThat(g.size()).isEqualTo(3);
        assertThat(g.adapterName()).isEqualTo(provider().name());
        assertThat(g.members()).hasSize(3);
        Set<AioOperations> distinct = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            assertThat(g.member(i)).isSameAs(g.members().get(i));
            assertThat(g.member(i).adapterName()).isEqualTo(provider().name());
            distinct.add(g.member(i));
        }
        assertThat(distinct).as("distinct members").hasSize(3);
        assertThatThrownBy(() -> g.members().clear()).isInstanceOf(UnsupportedOperationException.class);
        int first = g.members().indexOf(g.next());
        for (int k = 1; k <= 7; k++) {
            assertThat(g.next()).as("next() call %d", k).isSameAs(g.member((first + k) % 3));
        }
    }

    @Test
    @Timeout(60)
    void currentIsNullOffTheLoopsAndTheOwningMemberOnEach() throws InterruptedException {
        AioGroup g = openGroup(3);
        assertThat(g.current()).isNull();
        Set<Thread> threads = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            AtomicReference<AioOperations> current = new AtomicReference<>();
            AtomicReference<Thread> thread = new AtomicReference<>();
            AtomicInteger inLoops = new AtomicInteger();
            CountDownLatch ran = new CountDownLatch(1);
            g.execute(i, () -> {
                current.set(g.current());
                thread.set(Thread.currentThread());
                for (AioOperations m : g.members()) {
                    inLoops.addAndGet(m.inLoop() ? 1 : 0);
                }
                ran.countDown();
            });
            assertThat(ran.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("task on member %d ran", i).isTrue();
            assertThat(current.get()).as("current() on member %d's loop", i).isSameAs(g.member(i));
            assertThat(inLoops.get()).as("members whose inLoop() holds on member %d's loop", i).isOne();
            threads.add(thread.get());
        }
        assertThat(threads).as("one loop thread per member").hasSize(3).doesNotContain(Thread.currentThread());
        assertThat(threads.stream().map(Thread::getName).distinct()).as("loop thread names").hasSize(3);
        AtomicReference<AioOperations> onOtherThread = new AtomicReference<>(g.member(0));
        Thread other = Thread.ofPlatform().start(() -> onOtherThread.set(g.current()));
        other.join();
        assertThat(onOtherThread.get()).as("current() on a thread of no member").isNull();
    }

    @Test
    @Timeout(120)
    void everyMemberEchoesOnASocketAndReadsAFile() throws Exception {
        AioGroup g = openGroup(2);
        for (int i = 0; i < g.size(); i++) {
            AioOperations m = g.member(i);
            assertEcho(m, "ping from member " + i);
            Path file = tempDir.resolve("member-" + i);
            Files.writeString(file, "file of member " + i);
            int h = callOn(m, c -> m.open(file, Set.of(AioOpenOption.READ), null, c));
            assertThat(h).as("open on member %d: %s", i, AioCompletionRecorder.describe(h)).isNotNegative();
            MemorySegment buf = arena.allocate(64);
            int n = callOn(m, c -> m.read(h, buf, 0, null, c));
            assertThat(n).as("file read on member %d", i).isPositive();
            assertThat(text(buf, n)).isEqualTo("file of member " + i);
            assertThat(callOn(m, c -> m.close(h, null, c))).isZero();
        }
    }

    @Test
    @Timeout(120)
    void aMemberClosedAloneLeavesTheOthersWorking() throws Exception {
        AioGroup g = openGroup(2);
        g.member(0).close();
        assertThatThrownBy(() -> g.member(0).execute(() -> { })).isInstanceOf(IllegalStateException.class);
        assertEcho(g.member(1), "still here");
    }

    @Test
    @Timeout(60)
    void aHandleOfOneMemberIsUnknownToAnother() throws Exception {
        AioGroup g = openGroup(2);
        AioOperations first = g.member(0);
        AioOperations second = g.member(1);
        Path file = tempDir.resolve("scoped");
        Files.writeString(file, "scoped");
        int h = callOn(first, c -> first.open(file, Set.of(AioOpenOption.READ), null, c));
        assertThat(h).isNotNegative();
        // The second member has opened nothing, so no handle can be known to it.
        MemorySegment buf = arena.allocate(16);
        assertThat(callOn(second, c -> second.read(h, buf, 0, null, c))).as("read of the first member's handle")
                .isEqualTo(-AioErrno.EBADF);
        assertThat(callOn(second, c -> second.close(h, null, c))).as("close of the first member's handle")
                .isEqualTo(-AioErrno.EBADF);
        assertThat(callOn(first, c -> first.read(h, buf, 0, null, c))).as("the handle still works on its member")
                .isEqualTo(6);
    }

    @Test
    @Timeout(60)
    void misuseThrowsAtOnce() {
        AioProvider p = provider();
        assertThatThrownBy(() -> p.openGroup(config(), 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> p.openGroup(config(), 4097)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.openGroup(null, 2)).isInstanceOf(NullPointerException.class);
        AioConfig hostDriven = config().toBuilder().threading(AioConfig.Threading.HOST_DRIVEN).build();
        assertThatThrownBy(() -> p.openGroup(hostDriven, 2)).isInstanceOf(IllegalStateException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("OWN_THREAD", "HOST_DRIVEN", "host-driven"));
        AioGroup g = openGroup(2);
        assertThatThrownBy(() -> g.member(2)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> g.member(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> g.execute(2, () -> { })).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> g.execute(0, null)).isInstanceOf(NullPointerException.class);
        g.close();
        assertThatThrownBy(() -> g.execute(1, () -> { })).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Timeout(120)
    void closeCompletesWhatIsInFlightOnEveryMemberOnceBeforeItReturns() throws Exception {
        AioGroup g = openGroup(2);
        List<AioCompletionTally> tallies = new ArrayList<>();
        AtomicInteger tasksRun = new AtomicInteger();
        for (AioOperations m : g.members()) {
            tallies.add(inFlightOn(m));
        }
        for (int i = 0; i < g.size(); i++) {
            g.execute(i, tasksRun::incrementAndGet);
        }
        g.close();
        for (AioCompletionTally t : tallies) {
            t.markClosed();
        }
        assertThat(tasksRun.get()).as("tasks queued before close ran").isEqualTo(g.size());
        assertClosedOnce(g, tallies);
    }

    @Test
    @Timeout(120)
    void closeFromAMembersOwnLoopClosesEveryMemberWithoutDeadlock() throws Exception {
        AioGroup g = openGroup(2);
        List<AioCompletionTally> tallies = new ArrayList<>();
        for (AioOperations m : g.members()) {
            tallies.add(inFlightOn(m));
        }
        int own = g.size() - 1;
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger othersPending = new AtomicInteger(-1);
        CountDownLatch returned = new CountDownLatch(1);
        g.member(own).timeout(0, null, (r, a) -> {
            try {
                g.close();
                // The other members were closed and waited for; the own member cannot wait for itself.
                int pending = 0;
                for (int i = 0; i < own; i++) {
                    tallies.get(i).markClosed();
                    pending += (int) tallies.get(i).pending();
                }
                othersPending.set(pending);
            } catch (Throwable t) {
                failure.set(t);
            } finally {
                returned.countDown();
            }
        });
        assertThat(returned.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("close from a completion returned")
                .isTrue();
        assertThat(failure.get()).isNull();
        assertThat(othersPending.get()).as("other members' completions missing when close returned").isZero();
        // From outside the loops, a second close waits until the first has finished.
        g.close();
        AioCompletionTally ownTally = tallies.get(own);
        ownTally.await();
        ownTally.markClosed();
        assertClosedOnce(g, tallies);
    }

    @Test
    @Timeout(120)
    void concurrentClosesFromTwoThreadsBothReturnWithEverythingCompleted() throws Exception {
        AioGroup g = openGroup(2);
        List<AioCompletionTally> tallies = new ArrayList<>();
        for (AioOperations m : g.members()) {
            tallies.add(inFlightOn(m));
        }
        CyclicBarrier start = new CyclicBarrier(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> closers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            closers.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    g.close();
                    // Whichever thread returns, it returns after the close has finished.
                    for (AioOperations m : g.members()) {
                        assertThatThrownBy(() -> m.execute(() -> { })).isInstanceOf(IllegalStateException.class);
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : closers) {
            t.join();
        }
        assertThat(failure.get()).isNull();
        for (AioCompletionTally t : tallies) {
            t.markClosed();
        }
        assertClosedOnce(g, tallies);
    }

    @Test
    @Timeout(60)
    void closeIsIdempotent() {
        AioGroup g = openGroup(2);
        AioCompletionTally tally = new AioCompletionTally(g.member(0), 1);
        g.member(0).timeout(HOUR, 0, tally);
        g.close();
        tally.markClosed();
        g.close();
        assertThat(tally.pending()).isZero();
        assertThat(tally.duplicates()).isZero();
        assertThat(tally.late()).isZero();
    }

    @Test
    @Timeout(300)
    void aMillionCrossMemberTasksRunOnceEachInOrderPerProducer() throws Exception {
        AioGroup g = openGroup(2);
        CrossMemberTasks run = new CrossMemberTasks(g, FOREIGN_PRODUCERS, TASKS);
        long start = System.nanoTime();
        run.start();
        assertThat(run.awaitAll(Duration.ofSeconds(240))).as("tasks run: %s", run).isTrue();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("%s: %,d cross-member tasks on a group of %d (%s) in %d ms%n", getClass().getSimpleName(),
                run.total(), g.size(), g.adapterName(), millis);
        run.assertEachRanOnceInOrder();
    }

    @Test
    @Timeout(60)
    void aioOpenGroupChoosesTheAdapterOnceAndLogsItOnce() {
        AioProvider p = provider();
        assumeTrue(Aio.providers().stream().anyMatch(found -> found.getClass() == p.getClass()),
                () -> p + " is not found by ServiceLoader, so Aio.openGroup cannot choose it");
        assumeTrue(System.LoggerFinder.getLoggerFinder().getClass().getName().startsWith("sun.util.logging"),
                "System.Logger is not backed by java.util.logging here");
        List<LogRecord> records = new java.util.concurrent.CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if ("dev.aioops".equals(record.getLoggerName())) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger logger = Logger.getLogger("dev.aioops");
        logger.addHandler(capture);
        String previous = System.setProperty(Aio.ADAPTER_PROPERTY, p.name());
        try {
            AioGroup g = Aio.openGroup(config(), 3);
            groups.add(g);
            assertThat(g.adapterName()).isEqualTo(p.name());
            assertThat(g.size()).isEqualTo(3);
            assertEcho(g.member(2), "chosen once");
        } finally {
            logger.removeHandler(capture);
            if (previous == null) {
                System.clearProperty(Aio.ADAPTER_PROPERTY);
            } else {
                System.setProperty(Aio.ADAPTER_PROPERTY, previous);
            }
        }
        assertThat(records).as("records of the adapter choice for a group of three").hasSize(1);
        assertThat(records.get(0).getMessage()).contains(p.name());
    }

    /**
     * Puts operations that only a close ends on a member: an accept on a listener, a read on an idle connection
     * and an hour's timeout, and waits until its loop has taken them.
     */
    private AioCompletionTally inFlightOn(AioOperations m) throws InterruptedException {
        int listener = callOn(m, c -> m.listen(new InetSocketAddress(LOOPBACK, 0), 16, null, c));
        assertThat(listener).as("listen: %s", AioCompletionRecorder.describe(listener)).isNotNegative();
        int[] pair = pairOn(m);
        AioCompletionTally tally = new AioCompletionTally(m, 3);
        m.accept(listener, 0, tally);
        m.read(pair[1], arena.allocate(16), AioOperations.STREAM, 1, tally);
        m.timeout(HOUR, 2, tally);
        CountDownLatch taken = new CountDownLatch(1);
        m.execute(taken::countDown);
        assertThat(taken.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the loop took the submissions").isTrue();
        assertThat(tally.pending()).as("operations that must still be in flight").isEqualTo(3);
        return tally;
    }

    private static void assertClosedOnce(AioGroup g, List<AioCompletionTally> tallies) {
        for (int i = 0; i < tallies.size(); i++) {
            AioCompletionTally t = tallies.get(i);
            assertThat(t.pending()).as("completions of member %d missing after close returned", i).isZero();
            assertThat(t.duplicates()).as("member %d", i).isZero();
            assertThat(t.offLoop()).as("completions of member %d off its loop", i).isZero();
            for (int op = 0; op < t.size(); op++) {
                assertThat(t.result(op)).as("member %d, operation %d", i, op).isEqualTo(-AioErrno.ECANCELED);
            }
            assertThat(t.late()).as("completions of member %d after close returned", i).isZero();
        }
        for (AioOperations m : g.members()) {
            assertThatThrownBy(() -> m.execute(() -> { })).isInstanceOf(IllegalStateException.class);
        }
    }

    /** Connects, accepts, sends {@code message} both ways and closes, all on {@code m}. */
    private void assertEcho(AioOperations m, String message) {
        int[] pair = pairOn(m);
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        MemorySegment out = bytes(message);
        MemorySegment in = arena.allocate(bytes.length);
        for (int[] direction : new int[][] {{pair[0], pair[1]}, {pair[1], pair[0]}}) {
            assertThat(callOn(m, c -> m.write(direction[0], out, AioOperations.STREAM, null, c)))
                    .isEqualTo(bytes.length);
            int got = 0;
            while (got < bytes.length) {
                int from = got;
                int n = callOn(m, c -> m.read(direction[1], in.asSlice(from), AioOperations.STREAM, null, c));
                assertThat(n).as("read on %s: %s", m, AioCompletionRecorder.describe(n)).isPositive();
                got += n;
            }
            assertThat(text(in, bytes.length)).isEqualTo(message);
        }
        assertThat(callOn(m, c -> m.close(pair[0], null, c))).isZero();
        assertThat(callOn(m, c -> m.close(pair[1], null, c))).isZero();
    }

    /** A connected pair of socket handles of {@code m}: {@code {client, server}}. */
    private int[] pairOn(AioOperations m) {
        int listener = callOn(m, c -> m.listen(new InetSocketAddress(LOOPBACK, 0), 16, null, c));
        assertThat(listener).as("listen: %s", AioCompletionRecorder.describe(listener)).isNotNegative();
        InetSocketAddress address;
        try {
            address = (InetSocketAddress) m.localAddress(listener);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        AioCompletionRecorder<Object> accepted = new AioCompletionRecorder<>(m);
        m.accept(listener, null, accepted);
        int client = callOn(m, c -> m.connect(address, null, c));
        int server = accepted.await();
        assertThat(client).as("connect: %s", AioCompletionRecorder.describe(client)).isNotNegative();
        assertThat(server).as("accept: %s", AioCompletionRecorder.describe(server)).isNotNegative();
        assertThat(callOn(m, c -> m.close(listener, null, c))).isZero();
        return new int[] {client, server};
    }

    /** Submits an operation on {@code m} and waits for its result. */
    private static int callOn(AioOperations m, Submission submission) {
        AioCompletionRecorder<Object> r = new AioCompletionRecorder<>(m);
        submission.submit(r);
        return r.await();
    }
}
