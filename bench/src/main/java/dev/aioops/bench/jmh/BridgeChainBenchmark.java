package dev.aioops.bench.jmh;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioFutures;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.vthreads.AioBlocking;
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
import java.util.function.BiConsumer;

/**
 * What the bridges cost per operation over a plain completion: a chain of {@value #CHAIN} operations on the loop
 * through {@link AioFutures} (each future's dependent submits the next), and the same number of blocking calls
 * of one virtual thread through {@link AioBlocking}. With {@code -prof gc}, {@code gc.alloc.rate.norm} is the
 * bytes allocated per operation by every thread; the {@code callback*} methods are the baseline without a
 * bridge.
 *
 * <pre>./mvnw -q -DskipTests -Pjmh package -pl bench -am -Djmh.args="BridgeChain -prof gc"</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xms512m", "-Xmx512m"})
public class BridgeChainBenchmark {

    /** Operations per benchmark invocation. */
    static final int CHAIN = 1000;

    /** The adapter under test. */
    @Param({"uring"})
    public String adapter;

    private AioOperations ops;
    private AioBlocking blocking;
    private Path file;
    private int handle;
    private MemorySegment buffer;
    private AioFutures.Submission timeoutZero;
    private final CallbackChain callbacks = new CallbackChain();
    private final FutureChain futureTimeouts = new FutureChain(0);
    private final FutureChain futureReads = new FutureChain(1);
    private final FutureChain futureWrites = new FutureChain(2);

    /** Creates the state. */
    public BridgeChainBenchmark() {
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
        blocking = new AioBlocking(ops);
        file = Files.createTempFile("aioops-jmh", ".bin");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
            for (int i = 0; i < 64; i++) {
                ch.write(block.clear());
            }
        }
        handle = AioErrno.check(AioFutures.open(ops, file, EnumSet.of(AioOpenOption.READ, AioOpenOption.WRITE))
                .get(10, TimeUnit.SECONDS), "open");
        buffer = ops.buffers().acquire().asSlice(0, 4096);
        AioOperations o = ops;
        timeoutZero = (future, completion) -> o.timeout(0, future, completion);
    }

    /** Closes the adapter and deletes the file. */
    @TearDown(Level.Trial)
    public void close() throws Exception {
        ops.close();
        Files.deleteIfExists(file);
    }

    /**
     * Baseline: {@code timeout(0)} round trips with a plain completion.
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void callbackTimeoutZero() throws InterruptedException {
        callbacks.run();
    }

    /**
     * {@code timeout(0)} through {@link AioFutures#submit}: the future (result 0, a cached {@code Integer}) and
     * the chain's own dependent ({@code whenComplete}), which is the caller's.
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void futureTimeoutZero() throws InterruptedException {
        futureTimeouts.run();
    }

    /**
     * 4 KiB reads of the cached file through {@link AioFutures#read}: also the result slice.
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void futureRead4k() throws InterruptedException {
        futureReads.run();
    }

    /**
     * 4 KiB writes into the cached file through {@link AioFutures#write}: also the boxed result (4096).
     *
     * @throws InterruptedException if interrupted
     */
    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void futureWrite4k() throws InterruptedException {
        futureWrites.run();
    }

    /**
     * 4 KiB reads of the cached file by one virtual thread through {@link AioBlocking#read}: a park and an
     * unpark per read.
     *
     * @throws Exception if a read fails
     */
    @Benchmark
    @OperationsPerInvocation(CHAIN)
    public void virtualThreadRead4k() throws Exception {
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < CHAIN; i++) {
                    blocking.read(handle, buffer, (i & 16383) * 4096L);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.join();
    }

    /** Submits the next {@code timeout(0)} from the completion of the previous one. */
    private final class CallbackChain implements AioCompletion<CallbackChain> {
        private CountDownLatch done;
        private int remaining;

        void run() throws InterruptedException {
            CountDownLatch latch = new CountDownLatch(1);
            ops.execute(() -> {
                done = latch;
                remaining = CHAIN;
                ops.timeout(0, this, this);
            });
            latch.await();
        }

        @Override
        public void completed(int result, CallbackChain self) {
            if (--remaining > 0) {
                ops.timeout(0, this, this);
            } else {
                done.countDown();
            }
        }
    }

    /** Submits the next future's operation from the dependent of the previous one; one dependent instance. */
    private final class FutureChain implements BiConsumer<Object, Throwable> {
        private final int kind;
        private CountDownLatch done;
        private int remaining;
        private int count;
        private int failures;

        FutureChain(int kind) {
            this.kind = kind;
        }

        void run() throws InterruptedException {
            CountDownLatch latch = new CountDownLatch(1);
            ops.execute(() -> {
                done = latch;
                remaining = CHAIN;
                next();
            });
            latch.await();
            if (failures > 0) {
                throw new IllegalStateException(failures + " operations failed");
            }
        }

        private void next() {
            CompletableFuture<?> f = switch (kind) {
                case 0 -> AioFutures.submit(ops, null, timeoutZero);
                case 1 -> AioFutures.read(ops, handle, buffer, (count & 16383) * 4096L);
                default -> AioFutures.write(ops, handle, buffer, (count & 16383) * 4096L);
            };
            f.whenComplete(this);
        }

        @Override
        public void accept(Object result, Throwable failure) {
            if (failure != null) {
                failures++;
            }
            count++;
            if (--remaining > 0) {
                next();
            } else {
                done.countDown();
            }
        }
    }
}
