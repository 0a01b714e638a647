package dev.aioops.uring;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;

import java.lang.reflect.Proxy;

/**
 * A stand-in for the next-best adapter, so that the fallback away from an unavailable io_uring can be tested in
 * this module (where the epoll adapter is not on the class path). Lowest priority: never chosen while io_uring
 * works.
 */
public final class FallbackTestProvider implements AioProvider {

    /** The name this provider answers to. */
    static final String NAME = "fallback-test";

    /** For the ServiceLoader. */
    public FallbackTestProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 1;
    }

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
        return (AioOperations) Proxy.newProxyInstance(AioOperations.class.getClassLoader(),
                new Class<?>[]{AioOperations.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "adapterName" -> NAME;
                    case "close" -> null;
                    case "toString" -> "FallbackTestProvider's operations";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
