package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioSocketAddress;
import dev.aioops.spi.AioStat;
import dev.aioops.spi.AioVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop-thread steady state of reads (also with a deadline), writes, readvs, writevs, fstats, stats by name and
 * datagram sends and receives allocates
 * nothing: the allocation counter of the loop thread barely moves over 100 000 operations of each kind (a quick
 * stand-in for JMH's {@code -prof gc}).
 */
@Timeout(120)
class UringAllocationTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int OPERATIONS = 100_000;
    /** The loop may allocate this much over a whole chain (a lazily grown table, the JIT's first visit). */
    private static final long MOST_BYTES = 16_384;
    private static final int FILE_SIZE = 256 * 4096;

    /** Submits operation number {@code n} of a chain on {@code item} (a buffer, a vector, a stat holder). */
    @FunctionalInterface
    private interface Step<T> {
        void submit(int n, T item, Chain<T> chain);
    }

    /** Whether an operation's result (and what it left in its item) is the expected one. */
    @FunctionalInterface
    private interface Check<T> {
        boolean ok(int result, T item);
    }

    /**
     * Keeps one operation per item in flight, each item reused by the next operation of the chain, until
     * {@value #OPERATIONS} have completed as {@link Check} expects; measures the loop thread's allocation
     * meanwhile. Loop-confined apart from {@link #allocated}.
     */
    private static final class Chain<T> implements AioCompletion<T> {
        private final Step<T> step;
        private final Check<T> check;
        private final CompletableFuture<Long> allocated = new CompletableFuture<>();
        private long before;
        private int started;
        private int done;
        private int failures;

        Chain(Step<T> step, Check<T> check) {
            this.step = step;
            this.check = check;
        }

        void start(T[] items) {
            before = THREADS.getCurrentThreadAllocatedBytes();
            for (T item : items) {
                step.submit(started++, item, this);
            }
        }

        @Override
        public void completed(int result, T item) {
            if (!check.ok(result, item)) {
                failures++;
            }
            if (++done == OPERATIONS) {
                allocated.complete(THREADS.getCurrentThreadAllocatedBytes() - before);
            } else if (started < OPERATIONS) {
                step.submit(started++, item, this);
            }
        }
    }

    /**
     * Runs chains until one allocates (almost) nothing: warming up (JIT, lazily initialised holders) may take a few
     * rounds on a loaded machine, but a path that allocates per operation never gets there.
     */
    private static <T> void assertAllocatesNothing(UringAioOperations ops, T[] items, Step<T> step, Check<T> check,
                                                   String what) throws Exception {
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 10 && best >= MOST_BYTES; round++) {
            Chain<T> chain = new Chain<>(step, check);
            ops.execute(() -> chain.start(items));
            long bytes = chain.allocated.get(60, TimeUnit.SECONDS);
            assertThat(chain.failures).as("%s that did not complete as expected", what).isZero();
            if (round > 0) {
                best = Math.min(best, bytes);
            }
        }
        assertThat(best).as("bytes allocated on the loop for %d %s", OPERATIONS, what).isLessThan(MOST_BYTES);
    }

    private static int openFile(UringAioOperations ops, Path dir) throws Exception {
        Path file = dir.resolve("alloc");
        Files.write(file, new byte[FILE_SIZE]);
        Results open = new Results();
        ops.open(file, EnumSet.of(AioOpenOption.READ, AioOpenOption.WRITE), null, open);
        return open.await();
    }

    private static long offset(int n) {
        return (n % 256) * 4096L;
    }

    private static void readsAndWrites(Path dir, long deadlineNanos) throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().buffers(32, 4096).build())) {
            int fd = openFile(ops, dir);
            MemorySegment[] buffers = new MemorySegment[16];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = ops.buffers().acquire();
            }
            assertAllocatesNothing(ops, buffers, (n, buffer, chain) -> {
                if ((n & 1) == 1) {
                    ops.write(fd, buffer, offset(n), buffer, chain);
                } else if (deadlineNanos > 0) {
                    ops.read(fd, buffer, offset(n), deadlineNanos, buffer, chain);
                } else {
                    ops.read(fd, buffer, offset(n), buffer, chain);
                }
            }, (result, buffer) -> result == 4096, "reads and writes");
        }
    }

    @Test
    void readsAndWritesOnTheLoopAllocateNothing(@TempDir Path dir) throws Exception {
        readsAndWrites(dir, 0);
    }

    @Test
    void readsWithADeadlineOnTheLoopAllocateNothing(@TempDir Path dir) throws Exception {
        readsAndWrites(dir, TimeUnit.SECONDS.toNanos(30));
    }

    @Test
    void fstatOnTheLoopAllocatesNothing(@TempDir Path dir) throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults());
             Arena arena = Arena.ofShared()) {
            int fd = openFile(ops, dir);
            AioStat[] holders = new AioStat[16];
            for (int i = 0; i < holders.length; i++) {
                holders[i] = AioStat.allocate(arena);
            }
            assertAllocatesNothing(ops, holders, (n, holder, chain) -> ops.fstat(fd, holder, holder, chain),
                    (result, holder) -> result == 0 && holder.size() == FILE_SIZE, "fstats");
        }
    }

    @Test
    void statByNameOnTheLoopAllocatesNothing(@TempDir Path dir) throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults());
             Arena arena = Arena.ofShared()) {
            openFile(ops, dir);
            Results opened = new Results();
            ops.openAt(dev.aioops.spi.AioOperations.WORKING_DIRECTORY, dir, EnumSet.of(AioOpenOption.DIRECTORY),
                    null, opened);
            int directory = opened.await();
            Path name = Path.of("alloc");
            name.toString(); // Path caches its text: the benchmark and a library reuse their paths the same way
            AioStat[] holders = new AioStat[16];
            for (int i = 0; i < holders.length; i++) {
                holders[i] = AioStat.allocate(arena);
            }
            assertAllocatesNothing(ops, holders,
                    (n, holder, chain) -> ops.stat(directory, name, true, holder, holder, chain),
                    (result, holder) -> result == 0 && holder.size() == FILE_SIZE, "stats by name");
        }
    }

    @Test
    void readvAndWritevOnTheLoopAllocateNothing(@TempDir Path dir) throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults());
             Arena arena = Arena.ofShared()) {
            int fd = openFile(ops, dir);
            AioVector[] vectors = new AioVector[16];
            for (int i = 0; i < vectors.length; i++) {
                // A header, a body and a trailer: 4096 bytes in three segments.
                vectors[i] = AioVector.allocate(arena, 3).add(arena.allocate(96)).add(arena.allocate(3968))
                        .add(arena.allocate(32));
            }
            assertAllocatesNothing(ops, vectors, (n, vector, chain) -> {
                if ((n & 1) == 0) {
                    ops.readv(fd, vector, offset(n), vector, chain);
                } else {
                    ops.writev(fd, vector, offset(n), vector, chain);
                }
            }, (result, vector) -> result == 4096, "readvs and writevs");
        }
    }

    /** A datagram's buffer and the holder of its sender. */
    private record Datagram(MemorySegment buffer, AioSocketAddress sender) {
    }

    @Test
    void datagramSendsAndReceivesOnTheLoopAllocateNothing() throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults());
             Arena arena = Arena.ofShared()) {
            Results open = new Results();
            ops.openDatagram(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null, null, open);
            int socket = open.await();
            // The socket sends to itself: every other operation a send, the others receives of what it sent.
            AioSocketAddress self = AioSocketAddress.of(arena, (java.net.InetSocketAddress) ops.localAddress(socket));
            Datagram[] items = new Datagram[16];
            for (int i = 0; i < items.length; i++) {
                items[i] = new Datagram(arena.allocate(64), AioSocketAddress.allocate(arena));
            }
            assertAllocatesNothing(ops, items, (n, item, chain) -> {
                if ((n & 1) == 0) {
                    ops.sendTo(socket, item.buffer(), self, item, chain);
                } else {
                    ops.receive(socket, item.buffer(), item.sender(), 0, item, chain);
                }
            }, (result, item) -> result == 64 && (!item.sender().isSet() || item.sender().sameAddress(self)),
                    "datagram sends and receives");
        }
    }
}
