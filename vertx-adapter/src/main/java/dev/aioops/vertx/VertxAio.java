package dev.aioops.vertx;

import dev.aioops.spi.AioConfig;
import dev.aioops.vertx.internal.RingSubmissions;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.lang.System.Logger.Level;
import java.util.Objects;

/**
 * The hosting API: an {@link dev.aioops.spi.AioOperations} for a verticle's context, typically opened in
 * {@code start()}:
 *
 * <pre>{@code
 * public void start() {
 *     VertxAioOperations aio = VertxAio.forCurrentContext();
 *     library = new SomeProtocolLibrary(aio);   // its completions run on this verticle's context
 * }
 * }</pre>
 *
 * The instance is closed with the context: undeploying the verticle completes every operation still in flight
 * once, with {@code -ECANCELED}, and releases every handle before the undeployment finishes. It may also be
 * closed earlier with {@link VertxAioOperations#close()}.
 *
 * <p>It says which {@link VertxAioMode} it picked, in {@link VertxAioOperations#mode()} and on the
 * {@code dev.aioops.vertx} {@link System.Logger}, and why ({@link #modeReason(Context)}).
 *
 * <p>All methods are thread-safe.
 */
public final class VertxAio {

    private static final System.Logger LOG = System.getLogger("dev.aioops.vertx");
    private static final java.util.concurrent.atomic.AtomicBoolean FIRST_LOGGED =
            new java.util.concurrent.atomic.AtomicBoolean();

    private VertxAio() {
    }

    /**
     * Opens an instance bound to the calling thread's Vert.x context, with the default configuration.
     *
     * @return a new instance, closed with the context
     * @throws IllegalStateException    if the caller is not on a Vert.x context
     * @throws IllegalArgumentException if the context is not an event-loop context (a worker or virtual-thread
     *                                  verticle's)
     */
    public static VertxAioOperations forCurrentContext() {
        return forCurrentContext(AioConfig.defaults());
    }

    /**
     * Opens an instance bound to the calling thread's Vert.x context.
     *
     * @param config the configuration (see {@link VertxAioOperations} for the settings it reads)
     * @return a new instance, closed with the context
     * @throws IllegalStateException    if the caller is not on a Vert.x context
     * @throws IllegalArgumentException if the context is not an event-loop context
     */
    public static VertxAioOperations forCurrentContext(AioConfig config) {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("no current Vert.x context: call forCurrentContext() from a verticle "
                    + "(for example in start()) or a handler, or pass a context to VertxAio.open(context)");
        }
        return open(context, config);
    }

    /**
     * Opens an instance bound to a context, with the default configuration.
     *
     * @param context an event-loop context
     * @return a new instance, closed with the context
     * @throws IllegalArgumentException if the context is not an event-loop context
     */
    public static VertxAioOperations open(Context context) {
        return open(context, AioConfig.defaults());
    }

    /**
     * Opens an instance bound to a context.
     *
     * @param context an event-loop context; every completion runs on it
     * @param config  the configuration
     * @return a new instance, closed with the context (when its verticle is undeployed)
     * @throws IllegalArgumentException if the context is not an event-loop context, or {@code config} asks for
     *                                  {@link AioConfig.Threading#HOST_DRIVEN}
     */
    public static VertxAioOperations open(Context context, AioConfig config) {
        Objects.requireNonNull(context, "context");
        refuseHostDriven(config);
        VertxAioOperations ops = new VertxAioOperations(context, false, true, config);
        // The first choice in a process is worth a line at INFO; a verticle deployed many times logs at DEBUG.
        LOG.log(FIRST_LOGGED.compareAndSet(false, true) ? Level.INFO : Level.DEBUG,
                "aioops vertx: mode " + ops.mode() + " on " + context + ": " + modeReason(context));
        return ops;
    }

    /** A Vert.x context is the loop: nobody else can drive it with runOnce. */
    static void refuseHostDriven(AioConfig config) {
        Objects.requireNonNull(config, "config");
        if (config.threading() == AioConfig.Threading.HOST_DRIVEN) {
            throw new IllegalArgumentException("the vertx adapter runs on its Vert.x event loop and cannot be "
                    + "host-driven; open it with Threading.OWN_THREAD (the default), or use an adapter with "
                    + "AioCapability.HOST_DRIVEN (uring, epoll)");
        }
    }

    /**
     * Why an instance bound to this context runs in the mode it does.
     *
     * @param context a Vert.x context
     * @return the reason, in words
     */
    public static String modeReason(Context context) {
        Objects.requireNonNull(context, "context");
        String transport = ((VertxInternal) context.owner()).transport().getClass().getSimpleName();
        if (VertxAioOperations.modeFor(context) == VertxAioMode.SHARED_RING) {
            return "Vert.x runs on io_uring (" + transport + "): operations go to the event loop's own ring";
        }
        if (RingSubmissions.runsOnIoUring(context) && RingSubmissions.missingApi() != null
                && !"native".equalsIgnoreCase(System.getProperty(VertxAioOperations.MODE_PROPERTY, ""))) {
            return "Vert.x runs on io_uring (" + transport + "), but the shared ring is refused: "
                    + RingSubmissions.missingApi() + "; using Vert.x's own networking and a worker executor for files";
        }
        if (transport.toLowerCase(java.util.Locale.ROOT).contains("uring")) {
            return "Vert.x runs on io_uring (" + transport + "), but -D" + VertxAioOperations.MODE_PROPERTY
                    + "=native asks for Vert.x's own networking and a worker executor for files";
        }
        return "Vert.x runs on " + transport + ", not io_uring: using Vert.x's own networking and a worker "
                + "executor for files (start Vert.x with Transport.IO_URING for the shared ring)";
    }
}
