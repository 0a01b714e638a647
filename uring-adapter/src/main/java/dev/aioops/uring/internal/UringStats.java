package dev.aioops.uring.internal;

import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioStats;
import dev.aioops.spi.internal.LoopCounters;
import dev.aioops.spi.internal.Observability;

/**
 * The {@link AioStats} of one uring instance, gathered from where the loop counts: operations and turns in its
 * {@link LoopCounters}, enters and SQEs in the {@link Ring}, overflow flushes in the {@link RingDriver}, wake-ups in
 * {@link LoopWakeup} (eventfd writes and {@code MSG_RING}s received), kernel workers from {@code /proc}. Also holds
 * the instance's JFR registration. Any thread; every read is racy (see {@link AioStats}).
 */
final class UringStats {

    private final UringLoop loop;
    private volatile Observability.Registration jfr;

    UringStats(UringLoop loop) {
        this.loop = loop;
    }

    /** Once the instance runs: emits its periodic JFR event until {@link #unregister()}. */
    void register(AioOperations instance) {
        jfr = Observability.register(instance);
    }

    /** At close; idempotent. */
    void unregister() {
        Observability.Registration r = jfr;
        if (r != null) {
            r.close();
        }
    }

    AioStats snapshot() {
        LoopCounters counters = loop.counters();
        Ring ring = loop.resources().ring();
        LoopWakeup wakeup = loop.wakeup();
        return counters.snapshot("uring", ring.enters(), ring.sqesEntered(), loop.driver().overflowFlushes(),
                wakeup.eventfdWakeups() + wakeup.ringWakesReceived(),
                LoopCounters.kernelWorkersOf(counters.loopTid()));
    }
}
