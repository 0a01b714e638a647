package dev.aioops.bench.suite;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * The kernel workers of an io_uring group of two under buffered-write load: each member keeps {@link #FILES} files
 * with {@link #DEPTH} 64 KiB writes in flight each, which the kernel punts to its io-wq workers
 * ({@code iou-wrk-*} threads), with and without {@code IORING_SETUP_ATTACH_WQ}, and with SQPOLL (where the attach
 * makes the rings share one SQ thread and so one io-wq). The files are opened {@code O_DSYNC}: a buffered write
 * that must reach the disk cannot complete without blocking, so every one is punted (plain buffered writes to
 * ext4 mostly complete inline on Linux 6.18 and need few workers). Throughput in MiB/s; the peak count of
 * {@code iou-wrk} threads of each run, sampled from {@code /proc/self/task/*}{@code /comm} every 2 ms, is printed
 * with the run (the report's table has no column for it). The group has the default
 * {@link AioConfig#maxKernelWorkers()} ({@code max(4, 2 × cores)}), which it splits over its members, or a high
 * cap that lets the kernel's own accounting show.
 */
final class GroupWorkersContenders {

    static final int FILES = 8;
    static final int DEPTH = 8;
    static final int BLOCK = 64 * 1024;
    /** Each file is rewritten over this span, so that a long run does not fill the disk. */
    private static final long SPAN = 16L << 20;

    private GroupWorkersContenders() {
    }

    /**
     * One variant.
     *
     * @param cap the group's maxKernelWorkers, or 0 for the default; a cap above the kernel's own bound
     *            ({@code min(SQ entries, 4 × CPUs)} per io-wq) replaces it, so a high one shows what the kernel
     *            would start
     */
    static Contender contender(boolean attach, boolean sqPoll, int cap, Path dir, Duration duration) {
        String name = "aioops uring group of 2, " + (attach ? "ATTACH_WQ" : "independent rings")
                + (sqPoll ? ", SQPOLL" : "") + (cap > 0 ? ", cap " + cap : "");
        AioProvider uring = Aio.provider("uring").orElse(null);
        String unavailable = uring == null ? "no uring adapter" : AdapterContender.unavailable(uring);
        return new Contender() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String unavailable() {
                return unavailable;
            }

            @Override
            public Trial run() throws Exception {
                awaitNoWorkers();
                int baseline = workers();
                String property = "aioops.uring.group.attachWq";
                System.setProperty(property, Boolean.toString(attach));
                AioGroup group;
                try {
                    AioConfig.Builder config = AioConfig.builder().sqPoll(sqPoll);
                    if (cap > 0) {
                        config.maxKernelWorkers(cap);
                    }
                    group = uring.openGroup(config.build(), 2);
                } finally {
                    System.clearProperty(property);
                }
                AtomicInteger peak = new AtomicInteger();
                AtomicBoolean sampling = new AtomicBoolean(true);
                Thread sampler = Thread.ofPlatform().daemon().name("iou-wrk-sampler").start(() -> {
                    while (sampling.get()) {
                        peak.accumulateAndGet(workers() - baseline, Math::max);
                        try {
                            Thread.sleep(2);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                });
                try (Arena arena = Arena.ofShared()) {
                    Trial t = Trial.measure(() -> {
                        long deadline = System.nanoTime() + duration.toNanos();
                        CompletableFuture<?>[] loads = new CompletableFuture<?>[group.size()];
                        AtomicLong bytes = new AtomicLong();
                        for (int m = 0; m < group.size(); m++) {
                            loads[m] = load(group.member(m), dir.resolve("group-writes-" + m), arena, deadline,
                                    bytes);
                        }
                        CompletableFuture.allOf(loads).get(duration.toSeconds() + 60, TimeUnit.SECONDS);
                        return new Trial.Outcome(bytes.get(), 0);
                    });
                    sampling.set(false);
                    sampler.join();
                    System.out.printf(Locale.ROOT, "    %s: peak %d iou-wrk threads, %.0f MiB/s%n", name, peak.get(),
                            t.perSecond() / (1 << 20));
                    return t;
                } finally {
                    sampling.set(false);
                    group.close();
                }
            }
        };
    }

    /** One member: FILES files, DEPTH writes in flight on each, until the deadline. */
    private static CompletableFuture<Void> load(AioOperations ops, Path prefix, Arena arena, long deadline,
                                                AtomicLong bytes) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        MemorySegment buffer = arena.allocate(BLOCK, 4096);
        AtomicInteger open = new AtomicInteger(FILES * DEPTH);
        ops.execute(() -> {
            for (int f = 0; f < FILES; f++) {
                ops.open(prefix.resolveSibling(prefix.getFileName() + "-" + f),
                        EnumSet.of(AioOpenOption.WRITE, AioOpenOption.CREATE, AioOpenOption.DSYNC), null, (fd, a) -> {
                            if (fd < 0) {
                                done.completeExceptionally(new IOException("open: errno " + -fd));
                                return;
                            }
                            for (int d = 0; d < DEPTH; d++) {
                                new Writer(ops, fd, buffer, d, deadline, bytes, open, done).next();
                            }
                        });
            }
        });
        return done;
    }

    /** One chain of writes on one file: each completion submits the next until the deadline. */
    private record Writer(AioOperations ops, int fd, MemorySegment buffer, int lane, long deadline, AtomicLong bytes,
                          AtomicInteger open, CompletableFuture<Void> done) {
        void next() {
            long[] n = {0};
            submit(n);
        }

        private void submit(long[] n) {
            long offset = ((n[0] * DEPTH + lane) * BLOCK) % SPAN;
            ops.write(fd, buffer, offset, null, (r, a) -> {
                if (r < 0) {
                    done.completeExceptionally(new IOException("write: errno " + -r));
                    return;
                }
                bytes.addAndGet(r);
                n[0]++;
                if (System.nanoTime() - deadline < 0) {
                    submit(n);
                } else if (open.decrementAndGet() == 0) {
                    done.complete(null);
                }
            });
        }
    }

    /** io-wq workers of this process now. */
    static int workers() {
        int[] n = {0};
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> {
                try {
                    if (Files.readString(t.resolve("comm")).startsWith("iou-wrk-")) {
                        n[0]++;
                    }
                } catch (IOException gone) {
                    // the thread exited while we listed
                }
            });
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return n[0];
    }

    /** Waits (at most 10 s) until the workers of earlier runs have exited (an idle worker leaves after 5 s). */
    private static void awaitNoWorkers() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (workers() > 0 && System.nanoTime() - deadline < 0) {
            Thread.sleep(50);
        }
    }
}
