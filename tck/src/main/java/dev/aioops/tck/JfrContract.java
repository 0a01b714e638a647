package dev.aioops.tck;

import dev.aioops.spi.jfr.AioLoopEvent;
import dev.aioops.spi.jfr.AioSlowCompletionEvent;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JFR events: an open instance emits {@code dev.aioops.Loop} periodically while a recording enables it, and a
 * completion handler that runs longer than {@code dev.aioops.SlowCompletion}'s threshold emits that event; a
 * quick one does not.
 */
public abstract class JfrContract extends AioContract {

    /** For subclasses. */
    protected JfrContract() {
    }

    private static boolean await(CountDownLatch latch) throws InterruptedException {
        return latch.await(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    @Timeout(90)
    void emitsThePeriodicEventAndTheSlowCompletionEvent() throws InterruptedException {
        String adapter = ops.adapterName();
        String testClass = JfrContract.class.getName();
        CountDownLatch periodic = new CountDownLatch(2);
        CountDownLatch slow = new CountDownLatch(1);
        AtomicReference<RecordedEvent> lastLoop = new AtomicReference<>();
        AtomicReference<RecordedEvent> slowEvent = new AtomicReference<>();
        try (RecordingStream rs = new RecordingStream()) {
            rs.enable(AioLoopEvent.NAME).withPeriod(Duration.ofMillis(100));
            rs.enable(AioSlowCompletionEvent.NAME).withThreshold(Duration.ofMillis(50));
            rs.onEvent(AioLoopEvent.NAME, e -> {
                // Ours, or in the group-member runs, a member with work done: the timeout below completes first.
                if (adapter.equals(e.getString("adapter")) && e.getLong("completed") >= 1) {
                    lastLoop.set(e);
                    periodic.countDown();
                }
            });
            rs.onEvent(AioSlowCompletionEvent.NAME, e -> {
                if (e.getString("handler").startsWith(testClass)) {
                    slowEvent.compareAndSet(null, e);
                    slow.countDown();
                }
            });
            rs.startAsync();
            assertThat(call(c -> ops.timeout(0, null, c))).isZero();
            // The periodic event also tells the loops that the slow-completion event is on.
            assertThat(await(periodic)).as("dev.aioops.Loop events of %s", adapter).isTrue();
            RecordedEvent loop = lastLoop.get();
            assertThat(loop.getLong("submitted")).isGreaterThanOrEqualTo(loop.getLong("completed"));
            assertThat(loop.getLong("submitted") - loop.getLong("completed")).isEqualTo(loop.getLong("inFlight"));

            assertThat(call(c -> ops.timeout(0, null, (r, a) -> c.completed(r, a)))).isZero(); // quick: no event
            assertThat(call(c -> ops.timeout(0, null, (r, a) -> {
                sleepInTheHandler(120); // a handler that blocks its loop, the very thing the event reports
                c.completed(r, a);
            }))).isZero();
            assertThat(await(slow)).as("a dev.aioops.SlowCompletion event").isTrue();
            RecordedEvent e = slowEvent.get();
            assertThat(e.getString("adapter")).isEqualTo(adapter);
            assertThat(e.getInt("result")).isZero();
            assertThat(e.getDuration()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        }
    }

    private static void sleepInTheHandler(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
