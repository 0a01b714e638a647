package dev.aioops.vertx;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import io.vertx.core.transport.Transport;

/**
 * The Vert.x-native mode on a Vert.x instance of its own running on the io_uring transport
 * ({@value VertxAioOperations#MODE_PROPERTY}{@code =native} while opening): the native mode on a transport that
 * passes {@code SO_REUSEPORT} to its sockets, which Vert.x's NIO transport does not. Unavailable (and its tests
 * skipped) where Netty's io_uring transport cannot run.
 */
final class NativeOnIoUringProvider implements AioProvider {

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
        // The mode is read once, while opening; tests open their instances one at a time.
        synchronized (NativeOnIoUringProvider.class) {
            String before = System.getProperty(VertxAioOperations.MODE_PROPERTY);
            System.setProperty(VertxAioOperations.MODE_PROPERTY, "native");
            try {
                VertxAioOperations ops = (VertxAioOperations) delegate.open(config);
                if (ops.mode() != VertxAioMode.NATIVE) {
                    ops.close();
                    throw new IllegalStateException("the mode property did not give the Vert.x-native mode");
                }
                return ops;
            } finally {
                if (before == null) {
                    System.clearProperty(VertxAioOperations.MODE_PROPERTY);
                } else {
                    System.setProperty(VertxAioOperations.MODE_PROPERTY, before);
                }
            }
        }
    }
}
