package dev.aioops.spi.internal;

import dev.aioops.spi.AioOperations;

/**
 * An instance's place among the emitters of {@code dev.aioops.Loop}: registered once the instance runs,
 * unregistered when it closes ({@link Observability#register}). Any thread; both idempotent.
 */
public final class JfrHook {

    private Observability.Registration registration;
    private boolean closed;

    /** Creates an unregistered hook. */
    public JfrHook() {
    }

    /**
     * Starts emitting the periodic event for {@code instance}.
     *
     * @param instance the open instance
     */
    public synchronized void register(AioOperations instance) {
        if (!closed && registration == null) {
            registration = Observability.register(instance);
        }
    }

    /** Stops emitting it, for good: a later {@link #register} does nothing (the instance closed first). */
    public synchronized void unregister() {
        closed = true;
        if (registration != null) {
            registration.close();
        }
    }
}
