package dev.aioops.uring.internal;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioConfig;
import dev.aioops.uring.ring.LibC;
import dev.aioops.uring.ring.UringLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.assertj.core.api.Assertions.assertThat;

/** A foreign event loop nests a host-driven ring by polling its registered notification eventfd. */
@Timeout(60)
class UringNotificationFdTest {

    @Test
    void notificationFdBecomesReadableForTasksAndCompletions() throws Exception {
        AioConfig config = AioConfig.builder().threading(AioConfig.Threading.HOST_DRIVEN).build();
        try (UringAioOperations ops = UringAioOperations.open(config); Arena arena = Arena.ofConfined()) {
            assertThat(ops.supports(AioCapability.NOTIFICATION_FD)).isTrue();
            int fd = ops.notificationFd();
            assertThat(fd).isPositive();
            MemorySegment errno = LibC.newErrnoState(arena);
            MemorySegment pollfd = arena.allocate(8, 4);
            MemorySegment counter = arena.allocate(8, 8);
            ops.runOnce(0);

            // A task from another thread: the host, asleep in poll(2), must be woken.
            AtomicInteger ran = new AtomicInteger();
            Thread producer = new Thread(() -> ops.execute(ran::incrementAndGet));
            producer.start();
            assertThat(pollUntilReadable(errno, pollfd, fd)).isTrue();
            LibC.read(errno, fd, counter, 8);
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (ran.get() == 0 && System.nanoTime() < deadline) {
                ops.runOnce(0);
            }
            assertThat(ran.get()).isEqualTo(1);
            producer.join();

            // A completion of the kernel: a 20 ms timeout.
            Results timer = new Results();
            ops.timeout(20_000_000, null, timer);
            ops.runOnce(0);
            while (!timer.isDone()) {
                assertThat(pollUntilReadable(errno, pollfd, fd)).isTrue();
                LibC.read(errno, fd, counter, 8);
                ops.runOnce(0);
            }
            assertThat(timer.await()).isZero();
        }
    }

    @Test
    void theDriversOwnWorkBetweenTurnsSignalsTheNotificationFd() throws Exception {
        AioConfig config = AioConfig.builder().threading(AioConfig.Threading.HOST_DRIVEN).build();
        try (UringAioOperations ops = UringAioOperations.open(config); Arena arena = Arena.ofConfined()) {
            int fd = ops.notificationFd();
            MemorySegment errno = LibC.newErrnoState(arena);
            MemorySegment pollfd = arena.allocate(8, 4);
            MemorySegment counter = arena.allocate(8, 8);
            for (int i = 0; i < 3; i++) {
                ops.runOnce(0);
            }
            LibC.read(errno, fd, counter, 8); // reset; EAGAIN when nothing was signalled
            assertThat(poll(errno, pollfd, fd, 0)).as("nothing pending yet").isFalse();

            // The driver itself submits a 1 ms timer between turns: the host must be told within a bounded wait.
            Results timer = new Results();
            ops.timeout(1_000_000, null, timer);
            assertThat(poll(errno, pollfd, fd, 2_000)).as("readable after the driver's own submission").isTrue();
            for (long deadline = System.nanoTime() + 30_000_000_000L; !timer.isDone() && System.nanoTime() < deadline;) {
                LibC.read(errno, fd, counter, 8);
                ops.runOnce(0);
                if (!timer.isDone()) {
                    poll(errno, pollfd, fd, 1_000);
                }
            }
            assertThat(timer.await()).isZero();

            // The driver's own task, and an early completion, between turns.
            LibC.read(errno, fd, counter, 8);
            ops.runOnce(0);
            LibC.read(errno, fd, counter, 8);
            AtomicInteger ran = new AtomicInteger();
            ops.execute(ran::incrementAndGet);
            assertThat(poll(errno, pollfd, fd, 2_000)).as("readable after the driver's own task").isTrue();
            LibC.read(errno, fd, counter, 8);
            ops.runOnce(0);
            assertThat(ran.get()).isEqualTo(1);
        }
    }

    private static boolean poll(MemorySegment errno, MemorySegment pollfd, int fd, int timeoutMs) {
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, UringLayout.POLLIN);
        pollfd.set(JAVA_SHORT, 6, (short) 0);
        int r = LibC.poll(errno, pollfd, 1, timeoutMs);
        return r == 1 && (pollfd.get(JAVA_SHORT, 6) & UringLayout.POLLIN) != 0;
    }

    private static boolean pollUntilReadable(MemorySegment errno, MemorySegment pollfd, int fd) {
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, UringLayout.POLLIN);
        pollfd.set(JAVA_SHORT, 6, (short) 0);
        int r = LibC.poll(errno, pollfd, 1, 30_000);
        return r == 1 && (pollfd.get(JAVA_SHORT, 6) & UringLayout.POLLIN) != 0;
    }
}
