package dev.aioops.vertx;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import io.vertx.core.transport.Transport;

/**
 * The Vert.x adapter on a Vert.x instance of its own running on the io_uring transport, so in the shared-ring
 * mode; unavailable (and its tests skipped) where Netty's io_uring transport cannot run.
 */
final class RingProvider implements AioProvider {

    private final VertxAioProvider delegate = new VertxAioProvider(Transport.IO_URING);

    @Override
    public String name() {
        return "vertx";
    }

    @Override
    public int priority() {
        return delegate.priority();
    }

    @Override
    public boolean isAvailable() {
        return Transport.IO_URING.available();
    }

    @Override
    public Throwable unavailabilityCause() {
        return Transport.IO_URING.unavailabilityCause();
    }

    @Override
    public AioOperations open(AioConfig config) {
        VertxAioOperations ops = (VertxAioOperations) delegate.open(config);
        if (ops.mode() != VertxAioMode.SHARED_RING) {
            ops.close();
            throw new IllegalStateException("Vert.x on io_uring did not give the shared-ring mode");
        }
        return ops;
    }

    @Override
    public AioGroup openGroup(AioConfig config, int size) {
        AioGroup group = delegate.openGroup(config, size);
        for (AioOperations member : group.members()) {
            if (((VertxAioOperations) member).mode() != VertxAioMode.SHARED_RING) {
                group.close();
                throw new IllegalStateException("a member of a group on Vert.x's io_uring is not in the shared ring");
            }
        }
        return group;
    }
}
