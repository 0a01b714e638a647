package dev.aioops.tck;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Close at scale: an instance with a hundred thousand operations of mixed kinds in flight (timers, socket
 * reads that wait for data, file reads) closes in time linear in that count, completes each exactly once, and
 * leaves no descriptor and no thread of its own behind.
 *
 * <p>The instance is opened by the test itself, after a census of descriptors and threads, so that what the
 * instance leaves behind can be told from what the JVM and the test fixture hold.
 */
public abstract class CloseAtScaleContract extends AioContract {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final int TIMEOUTS = 60_000;
    private static final int SOCKET_PAIRS = 300;
    private static final int READS_PER_SOCKET = 100;
    private static final int FILE_READS = 10_000;
    private static final int TOTAL = TIMEOUTS + SOCKET_PAIRS * READS_PER_SOCKET + FILE_READS;
    private static final int SMALL = 64;

    /** For subclasses. */
    protected CloseAtScaleContract() {
    }

    /**
     * How long a close of {@value #TOTAL} pending operations may take: linear work over that many operations
     * takes milliseconds, a quadratic one tens of seconds. The bound sits between the two with room for a
     * machine loaded by parallel builds (a linear close took 3 s there once at a load average of 15 on 2 cores).
     *
     * @return the bound, five seconds unless an adapter documents why it needs more
     */
    protected long closeBoundMillis() {
        return 5_000;
    }

    @Test
    @Timeout(180)
    void aHundredThousandPendingOperationsCloseOnceEachAndFast() throws Exception {
        closeOperations();
        ops = null;
        arena = java.lang.foreign.Arena.ofShared();
        Census before = Census.take();
        ops = provider().open(config());

        Path file = tempDir.resolve("close-at-scale.bin");
        Files.write(file, new byte[FILE_READS * SMALL]);
        int fileHandle = open(file, AioOpenOption.READ);
        int[][] pairs = new int[SOCKET_PAIRS][];
        for (int i = 0; i < SOCKET_PAIRS; i++) {
            pairs[i] = connectedPair();
        }

        AtomicIntegerArray calls = new AtomicIntegerArray(TOTAL);
        int[] results = new int[TOTAL];
        AioCompletion<Integer> count = (result, index) -> {
            results[index] = result;
            calls.incrementAndGet(index);
        };
        MemorySegment buffers = arena.allocate((long) (TOTAL - TIMEOUTS) * SMALL);
        int next = 0;
        for (int i = 0; i < TIMEOUTS; i++, next++) {
            ops.timeout(HOUR, next, count);
        }
        for (int[] pair : pairs) {
            for (int r = 0; r < READS_PER_SOCKET; r++, next++) {
                ops.read(pair[r % 2], slice(buffers, next), AioOperations.STREAM, next, count);
            }
        }
        for (int i = 0; i < FILE_READS; i++, next++) {
            ops.read(fileHandle, slice(buffers, next), (long) i * SMALL, next, count);
        }
        // The submissions above went through the cross-thread queue: this task runs once the loop has taken them.
        CountDownLatch taken = new CountDownLatch(1);
        ops.execute(taken::countDown);
        assertThat(taken.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the loop took the submissions").isTrue();

        long start = System.nanoTime();
        ops.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        int lost = 0;
        int doubled = 0;
        for (int i = 0; i < TOTAL; i++) {
            int c = calls.get(i);
            lost += c == 0 ? 1 : 0;
            doubled += c > 1 ? 1 : 0;
        }
        assertThat(lost).as("operations never completed").isZero();
        assertThat(doubled).as("operations completed more than once").isZero();
        for (int i = 0; i < TIMEOUTS + SOCKET_PAIRS * READS_PER_SOCKET; i++) {
            assertThat(results[i]).as("pending operation %d at close: %s", i, AioErrno.name(results[i]))
                    .isEqualTo(-AioErrno.ECANCELED);
        }
        for (int i = TIMEOUTS + SOCKET_PAIRS * READS_PER_SOCKET; i < TOTAL; i++) {
            assertThat(results[i]).as("file read %d: its bytes or -ECANCELED", i)
                    .isIn(SMALL, -AioErrno.ECANCELED);
        }
        assertThat(closeMillis).as("close of %d pending operations, in ms", TOTAL).isLessThan(closeBoundMillis());
        ops = null;
        before.assertNothingLeftBehind();
    }

    private static MemorySegment slice(MemorySegment buffers, int index) {
        return buffers.asSlice((long) (index - TIMEOUTS) * SMALL, SMALL);
    }

    /** The sockets, rings, eventfds and threads of this process at one moment. */
    private record Census(Set<String> descriptors, Set<Thread> threads) {

        static Census take() throws IOException {
            return new Census(kernelObjects(), Set.copyOf(Thread.getAllStackTraces().keySet()));
        }

        /** Descriptors of kinds an adapter opens (sockets, io_uring, eventfd, epoll, pipes), by number. */
        private static Set<String> kernelObjects() throws IOException {
            Set<String> found = new java.util.TreeSet<>();
            try (var fds = Files.list(Path.of("/proc/self/fd"))) {
                for (Path fd : (Iterable<Path>) fds::iterator) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:") || target.startsWith("anon_inode:")
                                || target.startsWith("pipe:")) {
                            found.add(fd.getFileName() + " -> " + target);
                        }
                    } catch (IOException gone) {
                        // closed while listed: the directory stream's own descriptor, or a JVM-internal one
                    }
                }
            }
            return found;
        }

        void assertNothingLeftBehind() throws IOException, InterruptedException {
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (!threads.contains(t)) {
                    t.join(5_000);
                }
            }
            var left = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !threads.contains(t) && t.isAlive() && !t.getName().startsWith("ForkJoinPool"))
                    .map(t -> t.getName() + (t.isDaemon() ? " (daemon)" : ""))
                    .toList();
            assertThat(left).as("threads started by the instance and still alive after its close").isEmpty();
            Set<String> now = kernelObjects();
            now.removeAll(descriptors);
            assertThat(now).as("descriptors opened by the instance and still open after its close").isEmpty();
        }
    }
}
