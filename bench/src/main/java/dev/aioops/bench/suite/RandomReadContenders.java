package dev.aioops.bench.suite;

import com.sun.nio.file.ExtendedOpenOption;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The contenders of the random-read workload: 4 KiB reads at random 4 KiB-aligned offsets of one file, a fixed
 * number in flight, for a fixed time. Each completed read immediately issues the next one.
 */
final class RandomReadContenders {

    static final int BLOCK = 4096;
    private static final int OFFSETS = 1 << 20;

    private RandomReadContenders() {
    }

    /** Reads through an aioops adapter; buffers come from its pool, so io_uring uses READ_FIXED. */
    static Contender aioops(AioProvider provider, Path file, int depth, boolean direct, Duration duration) {
        return new AdapterContender(provider) {
            private final long[] offsets = BenchFiles.randomOffsets(sizeOf(file), OFFSETS);
            private AioOperations ops;
            private int handle = -1;

            @Override
            public String unavailable() {
                if (super.unavailable() != null) {
                    return super.unavailable();
                }
                if (direct && !operations().supports(AioCapability.DIRECT_IO)) {
                    return "no O_DIRECT on this adapter (AioCapability.DIRECT_IO)";
                }
                return null;
            }

            private AioOperations operations() {
                if (ops == null) {
                    ops = provider.open(AioConfig.builder().queueDepth(Math.max(64, Integer.highestOneBit(depth) * 2))
                            .buffers(Math.max(1, depth * BLOCK / 65536 + 1), 65536).build());
                }
                return ops;
            }

            @Override
            public Trial run() throws Exception {
                if (handle < 0) {
                    operations();
                    Set<AioOpenOption> options = direct ? EnumSet.of(AioOpenOption.READ, AioOpenOption.DIRECT)
                            : EnumSet.of(AioOpenOption.READ);
                    CompletableFuture<Integer> opened = new CompletableFuture<>();
                    ops.open(file, options, null, (r, a) -> opened.complete(r));
                    handle = AioErrno.check(opened.get(30, TimeUnit.SECONDS), "open " + file);
                }
                AioReader reader = new AioReader(ops, handle, offsets, depth, duration.toNanos());
                return Trial.measure(reader::run);
            }

            @Override
            public void close() {
                if (ops != null) {
                    ops.close();
                }
            }
        };
    }

    /** Keeps {@code depth} reads in flight on the loop until the deadline; allocates nothing per read. */
    private static final class AioReader implements AioCompletion<MemorySegment> {
        private final AioOperations ops;
        private final int handle;
        private final long[] offsets;
        private final int depth;
        private final long durationNanos;
        private final CountDownLatch drained;
        private final MemorySegment[] buffers;
        private final List<MemorySegment> pooled = new ArrayList<>();
        private long deadline;
        private int next;
        private long completed;
        private int failures;
        private int lastError;

        AioReader(AioOperations ops, int handle, long[] offsets, int depth, long durationNanos) {
            this.ops = ops;
            this.handle = handle;
            this.offsets = offsets;
            this.depth = depth;
            this.durationNanos = durationNanos;
            this.drained = new CountDownLatch(depth);
            this.buffers = new MemorySegment[depth];
            int perPoolBuffer = ops.buffers().bufferSize() / BLOCK;
            if (perPoolBuffer == 0) {
                throw new IllegalStateException("the adapter's pool has no buffers");
            }
            for (int i = 0; i < depth; i++) {
                if (i % perPoolBuffer == 0) {
                    pooled.add(ops.buffers().acquire());
                }
                buffers[i] = pooled.getLast().asSlice((long) (i % perPoolBuffer) * BLOCK, BLOCK);
            }
        }

        Trial.Outcome run() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            ops.execute(() -> {
                // Submitted from the loop, as a library's resubmissions are.
                deadline = System.nanoTime() + durationNanos;
                for (MemorySegment buffer : buffers) {
                    submit(buffer);
                }
                started.countDown();
            });
            started.await();
            if (!drained.await(durationNanos / 1_000_000 + 60_000, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("reads did not drain");
            }
            if (failures > 0) {
                throw new IllegalStateException(failures + " reads failed, last with " + AioErrno.name(lastError));
            }
            for (MemorySegment buffer : pooled) {
                ops.buffers().release(buffer);
            }
            return new Trial.Outcome(completed, 0);
        }

        private void submit(MemorySegment buffer) {
            long offset = offsets[next];
            next = (next + 1) & (offsets.length - 1);
            ops.read(handle, buffer, offset, buffer, this);
        }

        @Override
        public void completed(int result, MemorySegment buffer) {
            if (result == BLOCK) {
                completed++;
            } else {
                failures++;
                lastError = result;
            }
            if (System.nanoTime() < deadline && failures == 0) {
                submit(buffer);
            } else {
                drained.countDown();
            }
        }
    }

    /** The JDK's {@link AsynchronousFileChannel}, default thread pool, {@code depth} reads in flight. */
    static Contender asynchronousFileChannel(Path file, int depth, boolean direct, Duration duration) {
        return new Contender() {
            private final long[] offsets = BenchFiles.randomOffsets(sizeOf(file), OFFSETS);

            @Override
            public String name() {
                return "AsynchronousFileChannel";
            }

            @Override
            public Trial run() throws Exception {
                Set<OpenOption> options = new HashSet<>(Set.of(StandardOpenOption.READ));
                if (direct) {
                    options.add(ExtendedOpenOption.DIRECT);
                }
                try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(file, options, null)) {
                    AfcReader reader = new AfcReader(ch, offsets, depth, duration.toNanos());
                    return Trial.measure(reader::run);
                }
            }
        };
    }

    private static final class AfcReader implements CompletionHandler<Integer, ByteBuffer> {
        private final AsynchronousFileChannel channel;
        private final long[] offsets;
        private final int depth;
        private final long durationNanos;
        private final CountDownLatch drained;
        private final AtomicLong next = new AtomicLong();
        private final AtomicLong completed = new AtomicLong();
        private volatile Throwable failure;
        private long deadline;

        AfcReader(AsynchronousFileChannel channel, long[] offsets, int depth, long durationNanos) {
            this.channel = channel;
            this.offsets = offsets;
            this.depth = depth;
            this.durationNanos = durationNanos;
            this.drained = new CountDownLatch(depth);
        }

        Trial.Outcome run() throws Exception {
            deadline = System.nanoTime() + durationNanos;
            for (int i = 0; i < depth; i++) {
                submit(ByteBuffer.allocateDirect(2 * BLOCK).alignedSlice(BLOCK).limit(BLOCK));
            }
            if (!drained.await(durationNanos / 1_000_000 + 60_000, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("reads did not drain");
            }
            if (failure != null) {
                throw new IllegalStateException("a read failed", failure);
            }
            return new Trial.Outcome(completed.get(), 0);
        }

        private void submit(ByteBuffer buffer) {
            long offset = offsets[(int) (next.getAndIncrement() & (offsets.length - 1))];
            channel.read(buffer.clear(), offset, buffer, this);
        }

        @Override
        public void completed(Integer n, ByteBuffer buffer) {
            completed.incrementAndGet();
            if (System.nanoTime() < deadline) {
                submit(buffer);
            } else {
                drained.countDown();
            }
        }

        @Override
        public void failed(Throwable error, ByteBuffer buffer) {
            failure = error;
            drained.countDown();
        }
    }

    private static long sizeOf(Path file) {
        try {
            return java.nio.file.Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
