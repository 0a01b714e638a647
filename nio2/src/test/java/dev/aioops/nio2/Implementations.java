package dev.aioops.nio2;

import dev.aioops.epoll.EpollAioProvider;
import dev.aioops.spi.AioProvider;
import dev.aioops.uring.UringAioProvider;
import dev.aioops.vertx.VertxAioProvider;
import io.vertx.core.transport.Transport;

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
        return on(new VertxAioProvider(Transport.NIO));
    }

    private static ChannelsUnderTest.Backend on(AioProvider provider) {
        assumeTrue(provider.isAvailable(), () -> provider.name() + " unavailable: " + provider.unavailabilityCause());
        return ChannelsUnderTest.aioopsBackend(provider);
    }
}
