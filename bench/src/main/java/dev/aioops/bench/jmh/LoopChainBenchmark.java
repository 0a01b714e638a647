package dev.aioops.bench.jmh;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.spi.AioStat;
import dev.aioops.spi.AioVector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The per-operation cost of an adapter's loop: a chain of {@value #CHAIN} operations, each submitted from the
 * previous one's completion on the loop — the steady state of a library. The score is time per operation; with
 * {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per operation (by every thread).
 *
 * <pre>./mvnw -q -DskipTests -Pjmh package -pl bench -am -Djmh.args="LoopChain -prof gc"</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms512m", "-Xmx512m"})
public class LoopChainBenchmark {

    /** Operations per benchmark invocation. */
    static final int CHAIN = 1000;

    /** The adapter under test. */
    @Param({"uring", "epoll", "vertx"})
    public String adapter;

    private AioOperations ops;
    private Path file;
    private int handle;
    private MemorySegment buffer;
    private Chain timeouts;
    private Chain reads;
    private Chain writes;
    private Chain fstats;
    private Chain stats;
    private Chain gatheredWrites;
    private Chain deadlineReads;
    private Chain zeroCopySends;
    private java.net.Socket sink;
    private Thread drainer;

    /** Creates the state. */
    public LoopChainBenchmark() {
    }

    /**
     * Opens the adapter and a 64 MiB page-cached file.
     *
     * @throws Exception if the adapter or the file cannot be opened
     */
    @Setup(Level.Trial)
    public void open() throws Exception {
        AioProvider provider = Aio.provider(adapter).orElseThrow();
        if (!provider.isAvailable()) {
            throw new IllegalStateException(adapter + " is not available: " + provider.unavailabilityCause());
        }
        ops = provider.open(AioConfig.defaults());
        file = Files.createTempFile("aioops-jmh", ".bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
            for (int i = 0; i < 64; i++) {
                ch.write(block.clear());
            }
        }
        CompletableFuture<Integer> opened = new CompletableFuture<>();
        ops.open(file, EnumSet.of(AioOpenOption.READ, AioOpenOption.WRITE), null, (r, a) -> opened.complete(r));
        handle = AioErrno.check(opened.get(10, TimeUnit.SECONDS), "open");
        buffer = ops.buffers().acquire().asSlice(0, 4096);
        timeouts = new Chain((c) -> ops.timeout(0, c, c));
        reads = new Chain((c) -> ops.read(handle, buffer, (c.count & 16383) * 4096L, c, c));
        writes = new Chain((c) -> ops.write(handle, buffer, (c.count & 16383) * 4096L, c, c));
        AioStat stat = AioStat.allocate(Arena.global());
        fstats = new Chain((c) -> ops.fstat(handle, stat, c, c));
        Path name = file.getFileName();
        int directory = AioErrno.check(openDirectory(file.getParent()), "open the directory");
        stats = new Chain((c) -> ops.stat(directory, name, true, stat, c, c));
        // A head and a body in one write: two 2 KiB segments of the pool buffer, described once and reused.
        AioVector headAndBody = AioVector.allocate(Arena.global(), 2).add(buffer.asSlice(0, 2048))
                .add(buffer.asSlice(2048, 2048));
        gatheredWrites = new Chain((c) -> ops.writev(handle, headAndBody, (c.count & 16383) * 4096L, c, c));
        long deadline = TimeUnit.SECONDS.toNanos(5);
        deadlineReads = new Chain((c) -> ops.read(handle, buffer, (c.count & 16383) * 4096L, deadline, c, c));
        int socket = connectedToADrain();
        zeroCopySends = new Chain((c) -> ops.sendFile(socket, handle, (c.count & 1023) * 65536L, 65536, c, c));
    }

    /** A loopback connection whose peer, a thread of its own, reads and drops everything: the sends' sink. */
    private int connectedToADrain() throws Exception {
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        ops.listen(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 8, null,
                (r, a) -> listening.complete(r));
        int listener = AioErrno.check(listening.get(10, TimeUnit.SECONDS), "listen");
        CompletableFuture<Integer> accepted = new CompletableFuture<>();
        ops.accept(listener, null, (r, a) -> accepted.complete(r));
        sink = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(),
                ((java.net.InetSocketAddress) ops.localAddress(listener)).getPort());
        drainer = Thread.ofPlatform().daemon().name("jmh-sendfile-drain").start(() -> {
            byte[] chunk = new byte[1 << 20];
            try (java.io.InputStream in = sink.getInputStream()) {
                while (in.read(chunk) >= 0) {
                    // dropped
                }
            } catch (java.io.IOException closed) {
                // the trial ended
            }
        });
        return AioErrno.check(accepted.get(10, TimeUnit.SECONDS), "accept");
    }

    private int openDirectory(Path directory) throws Exception {
        CompletableFuture<Integer> opened = new CompletableFuture<>();
        ops.openAt(AioOperations.WORKING_DIRECTORY, directory, EnumSet.of(AioOpenOption.DIRECTORY), null,
                (r, a) -> opened.complete(r));
        return opened.get(10, TimeUnit.SECONDS);
    }

    /** Closes the adapter and deletes the file. */
    @TearDown(Level.Trial)
    public void close() throws Exception {
        ops.close();
        sink.close();
        drainer.join(10_000);
        Files.deleteIfExists(file);
    }

    /**
     * {@code timeout(0)} round trips: submission, kernel (or timer) and completion.
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void timeoutZero() throws InterruptedException {
        timeouts.run(ops);
    }

    /**
     * 4 KiB reads of a page-cached file into a pool buffer (READ_FIXED on io_uring).
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void read4k() throws InterruptedException {
        reads.run(ops);
    }

    /**
     * 4 KiB writes into the page cache from a pool buffer (WRITE_FIXED on io_uring).
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void write4k() throws InterruptedException {
        writes.run(ops);
    }

    /**
     * {@code fstat} of the open file ({@code STATX} with {@code AT_EMPTY_PATH} on io_uring).
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void fstat() throws InterruptedException {
        fstats.run(ops);
    }

    /**
     * {@code stat} of the file by its name, relative to a directory handle ({@code STATX} on io_uring).
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void statByName() throws InterruptedException {
        stats.run(ops);
    }

    /**
     * 4 KiB gathered writes of two 2 KiB segments into the page cache ({@code WRITEV} on io_uring), with one
     * caller-owned {@link AioVector} reused for every write.
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void writev4k() throws InterruptedException {
        gatheredWrites.run(ops);
    }

    /**
     * 4 KiB reads of a page-cached file with a 5 s deadline that never fires (a due time in a heap of the loop,
     * removed at completion; on io_uring one kernel timer for the earliest, not a timer per read).
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void read4kWithDeadline() throws InterruptedException {
        deadlineReads.run(ops);
    }

    /**
     * 64 KiB zero-copy sends of a page-cached file to a loopback socket whose peer drains it ({@code SPLICE}
     * through a loop-owned pipe on io_uring; {@code sendfile(2)} on a file thread elsewhere). A send may be
     * short when the socket is full; the score is per send.
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void sendFile64k() throws InterruptedException {
        zeroCopySends.run(ops);
    }

    /** Submits the next operation of the chain from the completion of the previous one. */
    private static final class Chain implements AioCompletion<Chain> {
        private final Step step;
        private CountDownLatch done;
        private int remaining;
        private int count;
        private int failures;

        Chain(Step step) {
            this.step = step;
        }

        void run(AioOperations ops) throws InterruptedException {
            CountDownLatch latch = new CountDownLatch(1);
            ops.execute(() -> {
                done = latch;
                remaining = CHAIN;
                step.submit(this);
            });
            latch.await();
            if (failures > 0) {
                throw new IllegalStateException(failures + " operations failed");
            }
        }

        @Override
        public void completed(int result, Chain self) {
            if (result < 0) {
                failures++;
            }
            count++;
            if (--remaining > 0) {
                step.submit(this);
            } else {
                done.countDown();
            }
        }

        @FunctionalInterface
        interface Step {
            void submit(Chain chain);
        }
    }
}
