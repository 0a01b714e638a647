package dev.aioops.vertx;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.vertx.internal.RingSubmissions;
import dev.aioops.vertx.internal.VertxOwnership;
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
 * <p>{@link #openGroup(Vertx, AioConfig)} opens one instance per event loop of a Vert.x instance, as an
 * {@link AioGroup}.
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
        VertxAioOperations ops = new VertxAioOperations(context, VertxOwnership.NONE, true, config);
        // The first choice in a process is worth a line at INFO; a verticle deployed many times logs at DEBUG.
        LOG.log(FIRST_LOGGED.compareAndSet(false, true) ? Level.INFO : Level.DEBUG,
                "aioops vertx: mode " + ops.mode() + " on " + context + ": " + modeReason(context));
        return ops;
    }

    /**
     * Opens a group ({@link AioGroup}) with one member per event loop of {@code vertx}, with the default
     * configuration.
     *
     * @param vertx the Vert.x instance whose event loops the members run on; the caller keeps owning it
     * @return the group, closed with {@code vertx} or earlier with {@link AioGroup#close()}
     */
    public static AioGroup openGroup(Vertx vertx) {
        return openGroup(vertx, AioConfig.defaults());
    }

    /**
     * Opens a group ({@link AioGroup}) with one member per event loop of {@code vertx}: member {@code i} is a
     * {@link VertxAioOperations} bound to a new event-loop context on the instance's {@code i}-th event loop, so
     * its completions and tasks run on that loop (and, on io_uring, its operations go to that loop's own ring, in
     * the mode {@link #open(Context, AioConfig)} would pick). The size is the instance's event-loop pool size
     * ({@code VertxOptions.setEventLoopPoolSize}). Spread connections with {@link AioGroup#next()}; a verticle's
     * handler finds the member of its own loop with {@link AioGroup#current()}.
     *
     * <p>Call it off the event loops (or from one verticle's {@code start()}): in the shared-ring mode each member
     * registers with its loop's ring and waits for that loop to accept it. The group does not own {@code vertx}:
     * closing the group closes its members only, and closing {@code vertx} closes the members (every operation in
     * flight completes once with {@code -ECANCELED}). Thread-safe.
     *
     * @param vertx  the Vert.x instance whose event loops the members run on
     * @param config every member's configuration (see {@link VertxAioOperations} for the settings it reads)
     * @return the group
     * @throws IllegalArgumentException if {@code config} asks for {@link AioConfig.Threading#HOST_DRIVEN}
     */
    public static AioGroup openGroup(Vertx vertx, AioConfig config) {
        Objects.requireNonNull(vertx, "vertx");
        refuseHostDriven(config);
        AioGroup group = VertxAioGroups.open(vertx, config, VertxOwnership.NONE, true);
        Context first = ((VertxAioOperations) group.member(0)).context();
        LOG.log(FIRST_LOGGED.compareAndSet(false, true) ? Level.INFO : Level.DEBUG, "aioops vertx: a group of "
                + group.size() + ", mode " + ((VertxAioOperations) group.member(0)).mode() + ": " + modeReason(first));
        return group;
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
        if (VertxModeChoice.modeFor(context) == VertxAioMode.SHARED_RING) {
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
