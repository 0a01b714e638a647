package dev.aioops.spi.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioOperations;

/**
 * The hooks by which adapters report to JFR, usable whether or not {@code jdk.jfr} is present: the classes that
 * touch {@code jdk.jfr} ({@link JfrSupport}, the events) load only when it is.
 *
 * <p>Each adapter calls {@link #register} when an instance opens and closes the registration when it closes, and
 * runs every completion through {@link #complete}, which costs one read of a static field unless a recording has
 * {@code dev.aioops.SlowCompletion} enabled.
 */
public final class Observability {

    /** Whether the JDK has {@code jdk.jfr} and this module reads it. */
    static final boolean JFR = jfrPresent();

    /** Set while a recording enables the slow-completion event; read on every completion. */
    static volatile boolean slowCompletionsEnabled;

    /** A registration that does nothing, where JFR is absent. */
    private static final Registration NONE = () -> { };

    private Observability() {
    }

    /** A periodic-event registration of one instance; {@link #close()} removes it (idempotent). */
    @FunctionalInterface
    public interface Registration extends AutoCloseable {
        /** Stops emitting events for the instance. */
        @Override
        void close();
    }

    private static boolean jfrPresent() {
        Module self = Observability.class.getModule();
        return ModuleLayer.boot().findModule("jdk.jfr").map(m -> !self.isNamed() || self.canRead(m)).orElse(false);
    }

    /**
     * Any thread, when an instance has opened: emits its {@code dev.aioops.Loop} event periodically while a
     * recording enables it, until the registration is closed.
     *
     * @param instance the open instance, whose {@link AioOperations#stats()} fills the event
     * @return the registration, to close when the instance closes
     */
    public static Registration register(AioOperations instance) {
        return JFR ? JfrSupport.register(instance) : NONE;
    }

    /**
     * Loop: runs a completion, timing it for {@code dev.aioops.SlowCompletion} while a recording enables that.
     * What the completion throws propagates.
     *
     * @param adapter    the adapter name, for the event
     * @param completion the completion
     * @param result     its result
     * @param attachment its attachment
     * @param <A>        the attachment type
     */
    public static <A> void complete(String adapter, AioCompletion<? super A> completion, int result, A attachment) {
        if (!slowCompletionsEnabled) {
            completion.completed(result, attachment);
            return;
        }
        JfrSupport.timed(adapter, completion, result, attachment);
    }
}
