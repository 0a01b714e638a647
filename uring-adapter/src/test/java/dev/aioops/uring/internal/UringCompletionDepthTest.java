package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Completions that submit the next operation, which completes at once, run from the loop's turn in bounded stack
 * (issue 11, defect 9): a chain of a hundred thousand never overflows the stack, and a handler that throws is
 * reported every time.
 */
@Timeout(120)
class UringCompletionDepthTest {

    private static final int CHAIN = 100_000;

    @TempDir
    Path dir;

    /** Runs a chain of {@link #CHAIN} ops, each submitted by the previous one's completion, from the loop. */
    private static void chain(AioOperations ops, AtomicReference<Throwable> failure, IntConsumer submitNext)
            throws Exception {
        CompletableFuture<Void> started = new CompletableFuture<>();
        ops.execute(() -> {
            submitNext.accept(0);
            started.complete(null);
        });
        started.get(60, TimeUnit.SECONDS);
        assertThat(failure.get()).isNull();
    }

    @Test
    void aChainOfZeroTimeoutsDoesNotGrowTheStack() throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CompletableFuture<Integer> done = new CompletableFuture<>();
        AioConfig config = AioConfig.builder().errorHandler(failure::set).build();
        try (UringAioOperations ops = UringAioOperations.open(config)) {
            int[] depth = {0};
            AioCompletion<Integer> next = new AioCompletion<>() {
                @Override
                public void completed(int result, Integer n) {
                    depth[0] = Math.max(depth[0], StackWalker.getInstance().walk(s -> (int) s.count()));
                    if (result != 0 || n == CHAIN) {
                        done.complete(result != 0 ? result : n);
                    } else {
                        ops.timeout(0, n + 1, this);
                    }
                }
            };
            chain(ops, failure, i -> ops.timeout(0, 1, next));
            assertThat(done.get(60, TimeUnit.SECONDS)).isEqualTo(CHAIN);
            assertThat(depth[0]).as("stack depth of a completion").isLessThan(100);
            assertThat(failure.get()).isNull();
        }
    }

    @Test
    void aChainOfEarlyErrorsAndCachedReadsRunsInBoundedStack() throws Exception {
        Path file = dir.resolve("cached.bin");
        Files.write(file, new byte[4096]);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CompletableFuture<Integer> done = new CompletableFuture<>();
        AioConfig config = AioConfig.builder().errorHandler(failure::set).build();
        try (UringAioOperations ops = UringAioOperations.open(config); Arena arena = Arena.ofShared()) {
            Results opened = new Results();
            ops.open(file, Set.of(AioOpenOption.READ), null, opened);
            int handle = opened.await();
            MemorySegment buffer = arena.allocate(64);
            int[] depth = {0};
            AioCompletion<Integer> next = new AioCompletion<>() {
                @Override
                public void completed(int result, Integer n) {
                    depth[0] = Math.max(depth[0], StackWalker.getInstance().walk(s -> (int) s.count()));
                    // Runs of a thousand early errors (an unknown handle), each ended by a read of cached data.
                    boolean cached = n % 1000 == 0;
                    int expected = cached ? 64 : -AioErrno.EBADF;
                    if (result != expected || n == CHAIN) {
                        done.complete(result != expected ? -1_000_000 - n : n);
                    } else if ((n + 1) % 1000 == 0) {
                        ops.read(handle, buffer, 0, n + 1, this);
                    } else {
                        ops.read(-7, buffer, 0, n + 1, this);
                    }
                }
            };
            chain(ops, failure, i -> ops.read(handle, buffer, 0, 0, next));
            assertThat(done.get(60, TimeUnit.SECONDS)).isEqualTo(CHAIN);
            assertThat(depth[0]).as("stack depth of a completion").isLessThan(100);
        }
        assertThat(failure.get()).isNull();
    }

    @Test
    void aHandlerThatThrowsIsReportedEveryTime() throws Exception {
        AtomicInteger reported = new AtomicInteger();
        AioConfig config = AioConfig.builder().errorHandler(t -> reported.incrementAndGet()).build();
        CompletableFuture<Integer> done = new CompletableFuture<>();
        int every = 7;
        try (UringAioOperations ops = UringAioOperations.open(config); Arena arena = Arena.ofShared()) {
            MemorySegment buffer = arena.allocate(64);
            AioCompletion<Integer> next = new AioCompletion<>() {
                @Override
                public void completed(int result, Integer n) {
                    if (n == CHAIN) {
                        done.complete(n);
                        return;
                    }
                    // Runs of early errors ended by a kernel completion; throw after submitting every 7th.
                    if (n % 1000 == 0) {
                        ops.timeout(0, n + 1, this);
                    } else {
                        ops.read(-7, buffer, 0, n + 1, this);
                    }
                    if (n % every == 0) {
                        throw new IllegalStateException("handler " + n);
                    }
                }
            };
            AtomicReference<Throwable> unused = new AtomicReference<>();
            chain(ops, unused, i -> ops.timeout(0, 1, next));
            assertThat(done.get(60, TimeUnit.SECONDS)).isEqualTo(CHAIN);
        }
        assertThat(reported.get()).isEqualTo(CHAIN / every);
    }
}
