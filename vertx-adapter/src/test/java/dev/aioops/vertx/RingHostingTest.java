package dev.aioops.vertx;

import io.vertx.core.Vertx;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.BeforeEach;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Verticles on Vert.x's io_uring transport: the shared-ring mode. */
class RingHostingTest extends HostingContract {

    @BeforeEach
    void needsIoUring() {
        assumeTrue(Transport.IO_URING.available(), () -> "io_uring transport: " + Transport.IO_URING
                .unavailabilityCause());
    }

    @Override
    Vertx createVertx() {
        return Vertx.builder().withTransport(Transport.IO_URING).build();
    }

    @Override
    VertxAioMode expectedMode() {
        return VertxAioMode.SHARED_RING;
    }
}
