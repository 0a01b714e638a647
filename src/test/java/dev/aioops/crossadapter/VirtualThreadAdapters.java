package dev.aioops.crossadapter;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.vertx.VertxAioMode;
import dev.aioops.vertx.VertxAioOperations;
import dev.aioops.vertx.VertxAioProvider;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Named;

import java.util.stream.Stream;

/**
 * The adapters the virtual-thread facade is tested on: those of {@link Adapters}, with Vert.x in both of its
 * modes named apart — native (on Vert.x's NIO transport) and shared ring (on its io_uring transport, where
 * available) — since a facade that parks must not depend on how the loop runs.
 */
final class VirtualThreadAdapters {

    private VirtualThreadAdapters() {
    }

    static Stream<Named<AioProvider>> all() {
        Stream<Named<AioProvider>> others = Adapters.available()
                .filter(p -> !p.getPayload().name().equals(VertxAioProvider.NAME));
        Stream<Named<AioProvider>> vertx = Stream.of(Named.of("vertx-native",
                new VertxInMode(Transport.NIO, VertxAioMode.NATIVE)));
        if (Transport.IO_URING.available()) {
            vertx = Stream.concat(vertx, Stream.of(Named.of("vertx-ring",
                    new VertxInMode(Transport.IO_URING, VertxAioMode.SHARED_RING))));
        }
        return Stream.concat(others, vertx);
    }

    /** The Vert.x adapter on one transport, refusing to run a test in another mode than the one named. */
    private record VertxInMode(Transport transport, VertxAioMode mode) implements AioProvider {

        @Override
        public String name() {
            return VertxAioProvider.NAME;
        }

        @Override
        public int priority() {
            return new VertxAioProvider(transport).priority();
        }

        @Override
        public boolean isAvailable() {
            return transport.available();
        }

        @Override
        public Throwable unavailabilityCause() {
            return transport.unavailabilityCause();
        }

        @Override
        public AioOperations open(AioConfig config) {
            VertxAioOperations ops = (VertxAioOperations) new VertxAioProvider(transport).open(config);
            if (ops.mode() != mode) {
                ops.close();
                throw new IllegalStateException("Vert.x on " + transport + " gave " + ops.mode() + ", not " + mode);
            }
            return ops;
        }
    }
}
