package dev.aioops.vertx;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.spi.internal.MemberGroup;
import dev.aioops.vertx.internal.VertxOwnership;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.transport.Transport;

import java.util.Objects;

/**
 * The Vert.x adapter's entry for {@link java.util.ServiceLoader}: name {@value #NAME}, priority 100 (chosen
 * by {@link dev.aioops.spi.Aio} after io_uring and the NIO selector unless asked for by name).
 *
 * <p>{@link #open(AioConfig)} called on a Vert.x event-loop context binds the new instance to that context (and
 * closes it with the context, like {@link VertxAio#open}). Called anywhere else, it creates a Vert.x instance of
 * its own with one event loop, which the returned instance owns and closes in {@link AioOperations#close()}.
 * {@link #openGroup} opens a Vert.x instance with one event loop per member.
 */
public final class VertxAioProvider implements AioProvider {

    /** The adapter's name. */
    public static final String NAME = "vertx";

    /**
     * The system property naming the transport of the Vert.x instance the provider creates off any context:
     * {@code nio}, {@code epoll} or {@code io_uring} (then the shared-ring mode is used). Default: Vert.x's
     * choice.
     */
    public static final String TRANSPORT_PROPERTY = "aioops.vertx.transport";

    private final Transport transport;

    /** For {@link java.util.ServiceLoader}: the transport named by {@value #TRANSPORT_PROPERTY}, if any. */
    public VertxAioProvider() {
        this(transportFromProperty());
    }

    /**
     * A provider whose own Vert.x instances run on a given transport.
     *
     * @param transport the transport, such as {@link Transport#IO_URING}; null for Vert.x's choice
     */
    public VertxAioProvider(Transport transport) {
        this.transport = transport;
    }

    private static Transport transportFromProperty() {
        String name = System.getProperty(TRANSPORT_PROPERTY, "").trim().toLowerCase(java.util.Locale.ROOT);
        return switch (name) {
            case "io_uring", "iouring", "uring" -> Transport.IO_URING;
            case "epoll" -> Transport.EPOLL;
            case "nio" -> Transport.NIO;
            default -> null;
        };
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 100;
    }

    /**
     * Always {@code true}: Vert.x is a dependency of this module and runs on every platform (on its NIO
     * transport when no native one is present).
     *
     * @return {@code true}
     */
    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Throwable unavailabilityCause() {
        return null;
    }

    @Override
    public AioOperations open(AioConfig config) {
        Objects.requireNonNull(config, "config");
        VertxAio.refuseHostDriven(config);
        Context current = Vertx.currentContext();
        if (current != null && current.isEventLoopContext()) {
            return VertxAio.open(current, config);
        }
        Vertx vertx = ownVertx(1);
        try {
            Context context = ((VertxInternal) vertx).createEventLoopContext();
            return new VertxAioOperations(context, VertxOwnership.alone(), false, config);
        } catch (RuntimeException | Error e) {
            vertx.close();
            throw e;
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Opens a Vert.x instance of its own with {@code size} event loops (on this provider's transport) and one
     * member on each, as {@link VertxAio#openGroup(Vertx, AioConfig)} does: member {@code i} completes on its own
     * event loop and, on io_uring, submits to that loop's ring. Wherever it is called, also on a Vert.x context.
     * The members share the instance: closing the group closes it once the last member has closed (and, as for
     * {@link #open}, waits for its threads when closed off its event loops); a member closed alone leaves it
     * running for the others.
     */
    @Override
    public AioGroup openGroup(AioConfig config, int size) {
        Objects.requireNonNull(config, "config");
        MemberGroup.checkSize(size);
        if (config.threading() == AioConfig.Threading.HOST_DRIVEN) {
            throw new IllegalStateException("a vertx group runs on its Vert.x event loops and cannot be "
                    + "host-driven; open it with Threading.OWN_THREAD (the default)");
        }
        Vertx vertx = ownVertx(size);
        try {
            return VertxAioGroups.open(vertx, config, VertxOwnership.sharedBy(size), false);
        } catch (RuntimeException | Error e) {
            vertx.close();
            throw e;
        }
    }

    private Vertx ownVertx(int eventLoops) {
        VertxBuilder builder = Vertx.builder().with(new VertxOptions()
                .setEventLoopPoolSize(eventLoops)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2));
        if (transport != null) {
            builder.withTransport(transport);
        }
        return builder.build();
    }
}
