package dev.aioops.epoll;

import dev.aioops.spi.AioCloseTimeoutException;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A close that times out while a file-pool thread is blocked in a system call (a {@code read(2)} of a FIFO that
 * nobody writes, the stand-in for a hung file system): the operation stays pending, its buffer stays the
 * adapter's (the JDK refuses to close its arena), and it completes once, on the pool thread, when the read returns.
 */
class EpollCloseTimeoutTest {

    private static final Duration CLOSE_TIMEOUT = Duration.ofMillis(300);

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aReadBlockedInThePoolStaysPendingPastCloseAndCompletesOnceWhenItReturns() throws Exception {
        Path fifo = fifo();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        AioOperations ops = new EpollAioProvider().open(AioConfig.builder().closeTimeout(CLOSE_TIMEOUT)
                .buffers(2, 4096).errorHandler(errors::add).build());
        Arena arena = Arena.ofShared();
        MemorySegment pooled = ops.buffers().acquire();
        Late read = new Late();
        Late fileClose = new Late();
        // READ + WRITE: open(2) of a FIFO for reading alone would wait for a writer; this one waits in read(2).
        int h = await(c -> ops.open(fifo, EnumSet.of(AioOpenOption.READ, AioOpenOption.WRITE), null, c));
        assertThat(h).isNotNegative();
        MemorySegment buffer = arena.allocate(5);
        ops.read(h, buffer, AioOperations.STREAM, null, read);
        Thread poolThread = awaitThreadIn("dev.aioops.linux.internal.FileCalls", "pread");
        // The close of the file waits for its read, and so stays pending with it.
        ops.close(h, null, fileClose);

        long start = System.nanoTime();
        ops.close();
        long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(closeMillis).as("close gives up after closeTimeout").isBetween(CLOSE_TIMEOUT.toMillis() - 10, 10_000L);
        assertThat(errors).hasSize(1).first().isInstanceOfSatisfying(AioCloseTimeoutException.class,
                e -> assertThat(e.stuck()).isEqualTo(1));
        assertThat(errors.getFirst()).hasMessageContaining("read of handle " + h);
        assertThat(read.calls.get()).as("the blocked read completed by close").isZero();
        assertThat(fileClose.calls.get()).as("the close of its file completed by close").isZero();
        assertThatThrownBy(arena::close).as("the JDK refuses to free a buffer a read still uses")
                .isInstanceOf(IllegalStateException.class);
        assertThat(pooled.scope().isAlive()).as("the buffer pool outlives close while a read may use it").isTrue();

        Files.write(fifo, "hello".getBytes(StandardCharsets.US_ASCII));

        assertThat(read.await()).isEqualTo(5);
        assertThat(fileClose.await()).isZero();
        poolThread.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(poolThread.isAlive()).as("the pool thread ends after its late completion").isFalse();
        assertThat(read.calls.get()).isEqualTo(1);
        assertThat(fileClose.calls.get()).isEqualTo(1);
        assertThat(read.thread).isSameAs(poolThread);
        assertThat(fileClose.order).as("the read completes before its file's close").isGreaterThan(read.order);
        assertThat(new String(buffer.toArray(ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(pooled.scope().isAlive()).as("the buffer pool is freed after the last late completion").isFalse();
        assertThat(errors).hasSize(1);
        arena.close();
    }

    private Path fifo() throws IOException, InterruptedException {
        Path fifo = dir.resolve("fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
        boolean made = mkfifo.waitFor(30, TimeUnit.SECONDS) && mkfifo.exitValue() == 0;
        assumeTrue(made, "mkfifo is needed for this test");
        return fifo;
    }

    private static int await(java.util.function.ToLongFunction<AioCompletion<Object>> submit)
            throws InterruptedException {
        Late late = new Late();
        submit.applyAsLong(late);
        return late.await();
    }

    /** Waits until a thread runs the given method, and returns it; a condition polled, not a guessed delay. */
    private static Thread awaitThreadIn(String className, String method) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            for (var e : Thread.getAllStackTraces().entrySet()) {
                for (StackTraceElement frame : e.getValue()) {
                    if (frame.getClassName().equals(className) && frame.getMethodName().equals(method)) {
                        return e.getKey();
                    }
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        throw new AssertionError("no thread entered " + className + "." + method);
    }

    /** A completion that records its calls, its thread and its order among all of them. */
    private static final class Late implements AioCompletion<Object> {
        private static final AtomicInteger ORDER = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(1);
        volatile int result;
        volatile int order;
        volatile Thread thread;

        @Override
        public void completed(int r, Object attachment) {
            result = r;
            thread = Thread.currentThread();
            order = ORDER.incrementAndGet();
            calls.incrementAndGet();
            done.countDown();
        }

        int await() throws InterruptedException {
            assertThat(done.await(30, TimeUnit.SECONDS)).as("completed").isTrue();
            return result;
        }
    }
}
