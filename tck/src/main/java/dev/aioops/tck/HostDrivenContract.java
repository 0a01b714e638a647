package dev.aioops.tck;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Embedding: an instance opened with {@link AioConfig.Threading#HOST_DRIVEN} runs only inside
 * {@link AioOperations#runOnce(long)} on the thread that drives it; the notification fd matches the capability.
 * Each test drives its own host-driven instance from the test thread, beside the usual {@link #ops}.
 *
 * <p>Gated by {@link AioCapability#HOST_DRIVEN}: an adapter without it must refuse the threading when opened and
 * refuse {@code runOnce} (checked by the first two tests); the tests that drive an instance are then skipped,
 * with the capability as the reason.
 */
public abstract class HostDrivenContract extends AioContract {

    /** The host-driven instance of the test, driven by the test thread. */
    private AioOperations hosted;

    /** For subclasses. */
    protected HostDrivenContract() {
    }

    /** Opens the host-driven instance where the adapter can be host-driven. */
    @BeforeEach
    void openHosted() {
        if (ops.supports(AioCapability.HOST_DRIVEN)) {
            hosted = provider().open(hostDrivenConfig());
        }
    }

    private AioConfig hostDrivenConfig() {
        return config().toBuilder().threading(AioConfig.Threading.HOST_DRIVEN).build();
    }

    private void requireHostDriven() {
        assumeTrue(hosted != null, () -> provider().name() + " does not offer AioCapability.HOST_DRIVEN");
    }

    @Test
    @Timeout(60)
    void withoutTheCapabilityHostDrivenThreadingIsRefusedWhenOpening() {
        if (ops.supports(AioCapability.HOST_DRIVEN)) {
            assertThat(hosted.inLoop()).isFalse();
        } else {
            assertThatThrownBy(() -> provider().open(hostDrivenConfig()).close())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("host-driven");
        }
    }

    /** Closes the host-driven instance from the test thread, its driver. */
    @AfterEach
    void closeHosted() {
        if (hosted != null) {
            hosted.close();
        }
    }

    private void drive(BooleanSupplier until) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!until.getAsBoolean()) {
            assertThat(System.nanoTime()).as("driving until done").isLessThan(deadline);
            hosted.runOnce(TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    @Test
    @Timeout(60)
    void completionsRunOnTheDrivingThreadInsideRunOnce() {
        requireHostDriven();
        AioCompletionRecorder<Object> timeout = new AioCompletionRecorder<>(hosted);
        hosted.timeout(TimeUnit.MILLISECONDS.toNanos(5), null, timeout);
        assertThat(timeout.isDone()).isFalse();
        drive(timeout::isDone);
        assertThat(timeout.await()).isZero();
        assertThat(timeout.thread()).isSameAs(Thread.currentThread());
        assertThat(timeout.ranInLoop()).isTrue();
        assertThat(hosted.inLoop()).isTrue();
    }

    @Test
    @Timeout(60)
    void runOnceCountsWhatItRanAndReturnsAfterItsTimeout() {
        requireHostDriven();
        assertThat(hosted.runOnce(0)).isZero();
        assertThat(hosted.runOnce(TimeUnit.MILLISECONDS.toNanos(10))).isZero();
        hosted.execute(() -> { });
        hosted.execute(() -> { });
        int ran = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ran < 2 && System.nanoTime() < deadline) {
            ran += hosted.runOnce(TimeUnit.MILLISECONDS.toNanos(100));
        }
        assertThat(ran).isEqualTo(2);
    }

    @Test
    @Timeout(60)
    void aTaskFromAnotherThreadWakesABlockedRunOnce() throws InterruptedException {
        requireHostDriven();
        hosted.runOnce(0);
        CountDownLatch ran = new CountDownLatch(1);
        Thread other = Thread.ofPlatform().start(() -> hosted.execute(ran::countDown));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ran.getCount() > 0 && System.nanoTime() < deadline) {
            hosted.runOnce(-1);
        }
        other.join();
        assertThat(ran.getCount()).isZero();
    }

    @Test
    @Timeout(60)
    void eventfdSignalledFromAnotherThreadCompletesInRunOnce() throws InterruptedException {
        requireHostDriven();
        AioCompletionRecorder<Object> created = new AioCompletionRecorder<>(hosted);
        hosted.eventfd(0, null, created);
        drive(created::isDone);
        int efd = created.await();
        assertThat(efd).isGreaterThanOrEqualTo(0);
        AioCompletionRecorder<Object> read = new AioCompletionRecorder<>(hosted);
        hosted.read(efd, arena.allocate(8), AioOperations.STREAM, null, read);
        Thread other = Thread.ofPlatform().start(() -> hosted.signal(efd, 2));
        drive(read::isDone);
        other.join();
        assertThat(read.await()).isEqualTo(8);
        assertThat(read.thread()).isSameAs(Thread.currentThread());
    }

    @Test
    @Timeout(60)
    void runOnceOnAnInstanceWithItsOwnThreadIsRefused() {
        assertThatThrownBy(() -> ops.runOnce(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Timeout(60)
    void runOnceAndCloseFromASecondThreadAreRefused() throws InterruptedException {
        requireHostDriven();
        hosted.runOnce(0);
        AtomicReference<Throwable> runOnce = new AtomicReference<>();
        AtomicReference<Throwable> close = new AtomicReference<>();
        Thread other = Thread.ofPlatform().start(() -> {
            try {
                hosted.runOnce(0);
            } catch (Throwable e) {
                runOnce.set(e);
            }
            try {
                hosted.close();
            } catch (Throwable e) {
                close.set(e);
            }
        });
        other.join();
        assertThat(runOnce.get()).isInstanceOf(IllegalStateException.class);
        assertThat(close.get()).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Timeout(60)
    void closeByTheDriverCompletesPendingOperations() {
        requireHostDriven();
        hosted.runOnce(0);
        AioCompletionRecorder<Object> pending = new AioCompletionRecorder<>(hosted);
        hosted.timeout(TimeUnit.HOURS.toNanos(1), null, pending);
        hosted.close();
        assertThat(pending.isDone()).isTrue();
        assertThat(pending.await()).isEqualTo(-AioErrno.ECANCELED);
        assertThatThrownBy(() -> hosted.runOnce(0)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Timeout(60)
    void theNotificationFdMatchesTheCapability() {
        requireHostDriven();
        int fd = hosted.notificationFd();
        if (hosted.supports(AioCapability.NOTIFICATION_FD)) {
            assertThat(fd).isGreaterThanOrEqualTo(0);
            assertThat(java.nio.file.Files.isSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)))
                    .as("the notification fd is an open descriptor").isTrue();
        } else {
            assertThat(fd).isEqualTo(-1);
        }
    }
}
