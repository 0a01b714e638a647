package dev.aioops.uring.internal;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioConfig;
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

    private static boolean pollUntilReadable(MemorySegment errno, MemorySegment pollfd, int fd) {
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, UringLayout.POLLIN);
        pollfd.set(JAVA_SHORT, 6, (short) 0);
        int r = LibC.poll(errno, pollfd, 1, 30_000);
        return r == 1 && (pollfd.get(JAVA_SHORT, 6) & UringLayout.POLLIN) != 0;
    }
}
