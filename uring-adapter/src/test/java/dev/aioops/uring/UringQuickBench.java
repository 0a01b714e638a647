package dev.aioops.uring;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

/**
 * A quick driver, not a unit test: 4 KiB random reads with 32 in flight and a 32 KiB-block checksum of a 1 GiB
 * cached file, through the uring adapter, {@link AsynchronousFileChannel} and a blocking {@link FileChannel}
 * loop. Prints operations per second and process CPU seconds per run. The lead's {@code bench/} module is the
 * real benchmark; this is for the adapter author's numbers.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp ... dev.aioops.uring.UringQuickBench [file] [seconds]</pre>
 */
public final class UringQuickBench {

    private static final int BLOCK = 4096;
    private static final int DEPTH = 32;
    private static final int CHUNK = 32 * 1024;
    private static final long SIZE = 1L << 30;

    private UringQuickBench() {
    }

    /**
     * Runs every workload three times.
     *
     * @param args optional file path and seconds per random-read run
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "/tmp/aioops-uring-bench.dat");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        prepare(file);
        for (int round = 0; round < 3; round++) {
            report("uring random 4k x32", uringRandom(file, seconds), seconds);
            report("AFC   random 4k x32", afcRandom(file, seconds), seconds);
        }
        for (int round = 0; round < 3; round++) {
            timed("uring checksum 32k", () -> uringChecksum(file));
            timed("AFC   checksum 32k", () -> afcChecksum(file));
            timed("FileChannel checksum 32k", () -> blockingChecksum(file));
        }
    }

    private static void prepare(Path file) throws Exception {
        if (!Files.exists(file) || Files.size(file) != SIZE) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
                SplittableRandom r = new SplittableRandom(1);
                for (long done = 0; done < SIZE; done += b.capacity()) {
                    b.clear();
                    while (b.remaining() >= 8) {
                        b.putLong(r.nextLong());
                    }
                    b.flip();
                    while (b.hasRemaining()) {
                        ch.write(b);
                    }
                }
            }
        }
        blockingChecksum(file); // into the page cache
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static void report(String name, long ops, int seconds) {
        System.out.printf("%-26s %,12d ops/s%n", name, ops / seconds);
    }

    private interface Run {
        long run() throws Exception;
    }

    private static void timed(String name, Run run) throws Exception {
        long cpu = cpuNanos();
        long start = System.nanoTime();
        long sum = run.run();
        long wall = System.nanoTime() - start;
        System.out.printf("%-26s %8.1f ms  cpu %8.1f ms  (sum %x)%n", name, wall / 1e6, (cpuNanos() - cpu) / 1e6,
                sum);
    }

    private static long[] offsets() {
        SplittableRandom r = new SplittableRandom(7);
        long[] offsets = new long[1 << 20];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = r.nextLong(SIZE / BLOCK) * BLOCK;
        }
        return offsets;
    }

    // ---------------------------------------------------------------- random reads

    /** Keeps {@link #DEPTH} reads in flight from the loop until the deadline. */
    private static final class RandomReader implements AioCompletion<MemorySegment> {
        private final AioOperations ops;
        private final int fd;
        private final long[] offsets;
        private final long deadline;
        private final CountDownLatch drained = new CountDownLatch(DEPTH);
        private long done;
        private int next;

        RandomReader(AioOperations ops, int fd, long[] offsets, long deadline) {
            this.ops = ops;
            this.fd = fd;
            this.offsets = offsets;
            this.deadline = deadline;
        }

        void start(MemorySegment[] pool) {
            int perBuffer = (int) (pool[0].byteSize() / BLOCK);
            for (int i = 0; i < DEPTH; i++) {
                MemorySegment b = pool[i / perBuffer].asSlice((long) (i % perBuffer) * BLOCK, BLOCK);
                ops.read(fd, b, offsets[next++], b, this);
            }
        }

        @Override
        public void completed(int result, MemorySegment buffer) {
            if (result != BLOCK) {
                throw new IllegalStateException("read gave " + result);
            }
            done++;
            if ((done & 255) == 0 && System.nanoTime() > deadline) {
                drained.countDown();
                return;
            }
            ops.read(fd, buffer, offsets[next++ & (offsets.length - 1)], buffer, this);
        }
    }

    private static long uringRandom(Path file, int seconds) throws Exception {
        long[] offsets = offsets();
        try (AioOperations ops = new UringAioProvider().open(AioConfig.builder().queueDepth(64)
                .buffers(2, 65536).build())) {
            int fd = openRead(ops, file);
            MemorySegment[] pool = {ops.buffers().acquire(), ops.buffers().acquire()};
            long cpu = cpuNanos();
            RandomReader reader = new RandomReader(ops, fd, offsets, System.nanoTime() + seconds * 1_000_000_000L);
            ops.execute(() -> reader.start(pool));
            reader.drained.await(seconds + 60L, TimeUnit.SECONDS);
            long used = cpuNanos() - cpu;
            CompletableFuture<Long> done = new CompletableFuture<>();
            ops.execute(() -> done.complete(reader.done));
            System.out.printf("   (cpu %.2f s)%n", used / 1e9);
            return done.get();
        }
    }

    private static int openRead(AioOperations ops, Path file) throws Exception {
        CompletableFuture<Integer> opened = new CompletableFuture<>();
        ops.open(file, EnumSet.of(AioOpenOption.READ), null, (r, a) -> opened.complete(r));
        int fd = opened.get(30, TimeUnit.SECONDS);
        if (fd < 0) {
            throw new IllegalStateException("open: " + fd);
        }
        return fd;
    }

    private static long afcRandom(Path file, int seconds) throws Exception {
        long[] offsets = offsets();
        AtomicLong done = new AtomicLong();
        AtomicLong next = new AtomicLong();
        CountDownLatch drained = new CountDownLatch(DEPTH);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long cpu = cpuNanos();
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(file, StandardOpenOption.READ)) {
            CompletionHandler<Integer, ByteBuffer> handler = new CompletionHandler<>() {
                @Override
                public void completed(Integer result, ByteBuffer b) {
                    long d = done.incrementAndGet();
                    if ((d & 255) == 0 && System.nanoTime() > deadline) {
                        drained.countDown();
                        return;
                    }
                    b.clear();
                    ch.read(b, offsets[(int) (next.getAndIncrement() & (offsets.length - 1))], b, this);
                }

                @Override
                public void failed(Throwable exc, ByteBuffer b) {
                    drained.countDown();
                }
            };
            for (int i = 0; i < DEPTH; i++) {
                ByteBuffer b = ByteBuffer.allocateDirect(BLOCK);
                ch.read(b, offsets[(int) next.getAndIncrement()], b, handler);
            }
            drained.await(seconds + 60L, TimeUnit.SECONDS);
        }
        System.out.printf("   (cpu %.2f s)%n", (cpuNanos() - cpu) / 1e9);
        return done.get();
    }

    // ---------------------------------------------------------------- checksum

    private static long sum(MemorySegment block, int length) {
        long s = 0;
        for (int i = 0; i + 8 <= length; i += 8) {
            s += block.get(JAVA_LONG_UNALIGNED, i);
        }
        return s;
    }

    /** Sums the file in {@link #CHUNK} blocks, four reads in flight. */
    private static final class Summer implements AioCompletion<MemorySegment> {
        private final AioOperations ops;
        private final int fd;
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private long position;
        private long total;
        private int active = 4;

        Summer(AioOperations ops, int fd) {
            this.ops = ops;
            this.fd = fd;
        }

        void start() {
            for (int i = 0, n = active; i < n; i++) {
                issue(ops.buffers().acquire());
            }
        }

        private void issue(MemorySegment buffer) {
            if (position >= SIZE) {
                if (--active == 0) {
                    result.complete(total);
                }
                return;
            }
            ops.read(fd, buffer, position, buffer, this);
            position += CHUNK;
        }

        @Override
        public void completed(int r, MemorySegment buffer) {
            total += sum(buffer, r);
            issue(buffer);
        }
    }

    private static long uringChecksum(Path file) throws Exception {
        try (AioOperations ops = new UringAioProvider().open(AioConfig.builder().buffers(8, CHUNK).build())) {
            Summer summer = new Summer(ops, openRead(ops, file));
            ops.execute(summer::start);
            return summer.result.get(120, TimeUnit.SECONDS);
        }
    }

    /** The same checksum on {@link AsynchronousFileChannel}, four reads in flight. */
    private static final class AfcSummer implements CompletionHandler<Integer, ByteBuffer> {
        private final AsynchronousFileChannel ch;
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private final AtomicLong position = new AtomicLong();
        private final AtomicLong total = new AtomicLong();
        private final AtomicLong active = new AtomicLong(4);

        AfcSummer(AsynchronousFileChannel ch) {
            this.ch = ch;
        }

        void issue(ByteBuffer b) {
            long p = position.getAndAdd(CHUNK);
            if (p >= SIZE) {
                if (active.decrementAndGet() == 0) {
                    result.complete(total.get());
                }
                return;
            }
            b.clear();
            ch.read(b, p, b, this);
        }

        @Override
        public void completed(Integer r, ByteBuffer b) {
            total.addAndGet(sum(MemorySegment.ofBuffer(b.flip()), r));
            issue(b);
        }

        @Override
        public void failed(Throwable exc, ByteBuffer b) {
            result.completeExceptionally(exc);
        }
    }

    private static long afcChecksum(Path file) throws Exception {
        try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(file, StandardOpenOption.READ)) {
            AfcSummer summer = new AfcSummer(ch);
            for (int i = 0; i < 4; i++) {
                summer.issue(ByteBuffer.allocateDirect(CHUNK));
            }
            return summer.result.get(120, TimeUnit.SECONDS);
        }
    }

    private static long blockingChecksum(Path file) throws Exception {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocateDirect(CHUNK);
            MemorySegment s = MemorySegment.ofBuffer(b);
            long total = 0;
            long position = 0;
            while (true) {
                b.clear();
                int r = ch.read(b, position);
                if (r <= 0) {
                    return total;
                }
                total += sum(s, r);
                position += r;
            }
        }
    }
}
