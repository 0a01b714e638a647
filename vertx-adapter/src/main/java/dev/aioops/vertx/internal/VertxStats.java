package dev.aioops.vertx.internal;

import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioStats;
import dev.aioops.spi.internal.JfrHook;

/**
 * The {@link AioStats} of one Vert.x instance and its JFR registration. The engine counts operations as it records
 * and forgets them ({@link OpsInFlight}); the event loop belongs to Vert.x, so turns, wake-ups and ring figures
 * are 0 (in the shared-ring mode Netty enters the ring). Any thread; reads are racy (see {@link AioStats}).
 */
public final class VertxStats {

    private final JfrHook jfr = new JfrHook();
    private volatile ContextEngine engine;

    /** Creates the statistics of an instance being opened. */
    public VertxStats() {
    }

    /**
     * Wraps what runs when the instance has closed, so that its JFR event stops then.
     *
     * @param then what the instance runs on termination
     * @return {@code then}, followed by unregistering
     */
    public Runnable whenTerminated(Runnable then) {
        return () -> {
            then.run();
            jfr.unregister();
        };
    }

    /**
     * Once the instance is built: starts its periodic JFR event.
     *
     * @param instance the instance
     * @param counted  its engine
     */
    public void register(AioOperations instance, ContextEngine counted) {
        this.engine = counted;
        jfr.register(instance);
    }

    /**
     * Any thread.
     *
     * @return the instance's counters now
     */
    public AioStats snapshot() {
        return engine.pending.counters.snapshot("vertx", 0, 0, 0, 0, 0);
    }
}
