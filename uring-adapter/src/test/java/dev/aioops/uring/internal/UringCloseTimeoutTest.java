package dev.aioops.uring.internal;

import dev.aioops.spi.AioCloseTimeoutException;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.uring.ring.LibC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A close that times out with an op the kernel still holds (issue 11, defect 1): the op is reported, stays
 * pending, and completes once, after close returned, into memory that is still valid; only then is the ring
 * freed. The op is an eventfd read with a zero counter whose cancel the test suppresses, as if the kernel could
 * not cancel it in time.
 */
@Timeout(60)
class UringCloseTimeoutTest {

    private static final Duration CLOSE_TIMEOUT = Duration.ofMillis(200);

    /** Records one completion: how often it ran, whether after close, and what the buffer then held. */
    private static final class Late implements AioCompletion<MemorySegment> {
        final AtomicBoolean closeReturned = new AtomicBoolean();
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger result = new AtomicInteger();
        final AtomicLong value = new AtomicLong();
        final AtomicBoolean afterClose = new AtomicBoolean();
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void completed(int r, MemorySegment buffer) {
            afterClose.set(closeReturned.get());
            result.set(r);
            value.set(buffer.get(JAVA_LONG, 0)); // throws if the memory had been freed
            calls.incrementAndGet();
            done.countDown();
        }
    }

    @Test
    void anOpTheKernelStillHoldsStaysPendingAndCompletesOnceAfterCloseOnTheLoopThread() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        AioConfig config = AioConfig.builder().closeTimeout(CLOSE_TIMEOUT).threadName("uring-linger-test")
                .errorHandler(reported::add).build();
        Late late = new Late();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buffer = arena.allocate(8, 8);
            UringAioOperations ops = UringAioOperations.open(config);
            Results made = new Results();
            ops.eventfd(0, null, made);
            int eventfd = made.await();
            int descriptor = ops.fileDescriptor(eventfd); // the test writes it itself after close
            long token = ops.read(eventfd, buffer, AioOperations.STREAM, buffer, late);
            CountDownLatch pinned = new CountDownLatch(1);
            ops.execute(() -> {
                ops.pretendUncancellable(token);
                pinned.countDown();
            });
            assertThat(pinned.await(10, TimeUnit.SECONDS)).isTrue();
            Thread loop = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("uring-linger-test")).findFirst().orElseThrow();

            ops.close();
            late.closeReturned.set(true);
            assertThat(late.calls.get()).as("not completed by the close").isZero();
            assertThat(reported).singleElement().isInstanceOfSatisfying(AioCloseTimeoutException.class,
                    e -> assertThat(e.stuck()).isEqualTo(1));

            // The kernel gives the read back: data arrives after close returned.
            assertThat(LibC.eventfdWrite(descriptor, 5)).isZero();
            assertThat(late.done.await(10, TimeUnit.SECONDS)).as("completed once the kernel gave it back").isTrue();
            loop.join(10_000);
            assertThat(loop.isAlive()).as("the loop thread ends after the last late completion").isFalse();
            assertThat(late.calls.get()).isEqualTo(1);
            assertThat(late.afterClose.get()).isTrue();
            assertThat(late.result.get()).isEqualTo(8);
            assertThat(late.value.get()).isEqualTo(5);
            assertThat(loop.getName()).isEqualTo("uring-linger-test");
        }
    }

    @Test
    void aHostDrivenInstanceDrainsItsStuckOpsThroughRunOnceAfterClose() throws Exception {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        AioConfig config = AioConfig.builder().threading(AioConfig.Threading.HOST_DRIVEN).closeTimeout(CLOSE_TIMEOUT)
                .errorHandler(reported::add).build();
        Late late = new Late();
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buffer = arena.allocate(8, 8);
            UringAioOperations ops = UringAioOperations.open(config);
            Results made = new Results();
            ops.eventfd(0, null, made);
            while (!made.isDone()) {
                ops.runOnce(10_000_000);
            }
            int eventfd = made.await();
            int descriptor = ops.fileDescriptor(eventfd); // the test writes it itself after close
            long token = ops.read(eventfd, buffer, AioOperations.STREAM, buffer, late);
            ops.runOnce(0);
            ops.pretendUncancellable(token);

            ops.close();
            late.closeReturned.set(true);
            assertThat(late.calls.get()).isZero();
            assertThat(reported).singleElement().isInstanceOf(AioCloseTimeoutException.class);
            ops.runOnce(0); // still allowed: it only drains
            assertThat(late.calls.get()).isZero();

            assertThat(LibC.eventfdWrite(descriptor, 7)).isZero();
            for (long deadline = System.nanoTime() + 10_000_000_000L;
                 late.calls.get() == 0 && System.nanoTime() < deadline; ) {
                ops.runOnce(100_000_000);
            }
            assertThat(late.calls.get()).isEqualTo(1);
            assertThat(late.afterClose.get()).isTrue();
            assertThat(late.result.get()).isEqualTo(8);
            assertThat(late.value.get()).isEqualTo(7);
            assertThatThrownBy(() -> ops.runOnce(0)).as("closed for good once drained")
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
