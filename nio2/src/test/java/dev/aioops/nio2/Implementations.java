package dev.aioops.nio2;

import dev.aioops.epoll.EpollAioProvider;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.uring.UringAioProvider;
import dev.aioops.vertx.VertxAioMode;
import dev.aioops.vertx.VertxAioOperations;
import dev.aioops.vertx.VertxAioProvider;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Named;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The implementations the behaviour tests run against. */
final class Implementations {

    private Implementations() {
    }

    static ChannelsUnderTest.Backend jdk() {
        return ChannelsUnderTest.jdkBackend();
    }

    static ChannelsUnderTest.Backend uring() {
        return on(new UringAioProvider());
    }

    static ChannelsUnderTest.Backend epoll() {
        return on(new EpollAioProvider());
    }

    /** Vert.x native: sockets through Vert.x networking, files through its file system. */
    static ChannelsUnderTest.Backend vertx() {
        return on(new VertxInMode(Transport.NIO, VertxAioMode.NATIVE));
    }

    /**
     * Vert.x on its io_uring transport, so in the shared-ring mode: aioops's operations on the ring Netty's event
     * loop owns; skipped where Netty's io_uring transport cannot run.
     */
    static ChannelsUnderTest.Backend vertxRing() {
        return on(new VertxInMode(Transport.IO_URING, VertxAioMode.SHARED_RING));
    }

    /**
     * Every adapter configuration the TCK runs on and that is available here, for tests of what aioops's channels
     * add beyond the JDK's: uring, epoll, Vert.x native (NIO transport) and Vert.x shared ring (io_uring transport).
     */
    static Stream<Named<AioProvider>> adapters() {
        return Stream.<Named<AioProvider>>of(
                        Named.of("uring", new UringAioProvider()),
                        Named.of("epoll", new EpollAioProvider()),
                        Named.of("vertx-native", new VertxInMode(Transport.NIO, VertxAioMode.NATIVE)),
                        Named.of("vertx-ring", new VertxInMode(Transport.IO_URING, VertxAioMode.SHARED_RING)))
                .filter(p -> p.getPayload().isAvailable());
    }

    private static ChannelsUnderTest.Backend on(AioProvider provider) {
        assumeTrue(provider.isAvailable(), () -> provider.name() + " unavailable: " + provider.unavailabilityCause());
        return ChannelsUnderTest.aioopsBackend(provider);
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
            AioOperations ops = new VertxAioProvider(transport).open(config);
            try {
                return checked(ops);
            } catch (IllegalStateException e) {
                ops.close();
                throw e;
            }
        }

        @Override
        public AioGroup openGroup(AioConfig config, int size) {
            AioGroup group = new VertxAioProvider(transport).openGroup(config, size);
            try {
                group.members().forEach(this::checked);
            } catch (IllegalStateException e) {
                group.close();
                throw e;
            }
            return group;
        }

        private AioOperations checked(AioOperations ops) {
            VertxAioMode actual = ((VertxAioOperations) ops).mode();
            if (actual != mode) {
                throw new IllegalStateException("Vert.x on " + transport + " gave " + actual + ", not " + mode);
            }
            return ops;
        }
    }
}
