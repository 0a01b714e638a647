package dev.aioops.vertx;

import dev.aioops.vertx.internal.RingSubmissions;
import io.vertx.core.Context;

import java.util.concurrent.atomic.AtomicBoolean;

/** Which {@link VertxAioMode} an instance on a given context takes. */
final class VertxModeChoice {

    private static final AtomicBoolean REFUSAL_LOGGED = new AtomicBoolean();

    private VertxModeChoice() {
    }

    /** The shared ring when the context's event loop is io_uring (unless the property forbids it), else native. */
    static VertxAioMode modeFor(Context context) {
        if ("native".equalsIgnoreCase(System.getProperty(VertxAioOperations.MODE_PROPERTY, ""))) {
            return VertxAioMode.NATIVE;
        }
        if (!RingSubmissions.runsOnIoUring(context)) {
            return VertxAioMode.NATIVE;
        }
        String missing = RingSubmissions.missingApi();
        if (missing != null) {
            if (REFUSAL_LOGGED.compareAndSet(false, true)) {
                System.getLogger("dev.aioops.vertx").log(System.Logger.Level.WARNING, "aioops vertx: shared-ring "
                        + "mode refused: " + missing + "; using the Vert.x-native mode");
            }
            return VertxAioMode.NATIVE;
        }
        return VertxAioMode.SHARED_RING;
    }
}
