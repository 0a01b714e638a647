package dev.aioops.epoll;

import dev.aioops.epoll.internal.EpollAioOperations;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;

import java.io.IOException;
import java.nio.channels.Selector;
import java.util.Objects;

/**
 * The {@code "epoll"} adapter: {@link AioOperations} on a {@code java.nio} {@link Selector} (epoll on Linux)
 * with a bounded thread pool for file I/O, as {@code AsynchronousFileChannel} does. Priority 200: chosen when
 * io_uring is not available. Available wherever a selector can be opened.
 *
 * <p><b>Settings read</b> from {@link AioConfig}: threading, threadName, daemon, bufferCount and bufferSize,
 * fileThreads, closeTimeout, errorHandler. {@code queueDepth}, {@code maxKernelWorkers} and {@code sqPoll} have
 * no meaning here.
 *
 * <p>Thread-safe and cheap to construct; the availability check runs once per process.
 */
public final class EpollAioProvider implements AioProvider {

    /** The adapter name, for {@code -Daioops.adapter=epoll}. */
    public static final String NAME = "epoll";

    /** Creates the provider; {@link java.util.ServiceLoader} does this. */
    public EpollAioProvider() {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int priority() {
        return 200;
    }

    @Override
    public boolean isAvailable() {
        return Availability.CAUSE == null;
    }

    @Override
    public Throwable unavailabilityCause() {
        return Availability.CAUSE;
    }

    @Override
    public AioOperations open(AioConfig config) {
        Objects.requireNonNull(config, "config");
        if (Availability.CAUSE != null) {
            throw new IllegalStateException("the epoll adapter is not available: " + Availability.CAUSE.getMessage(),
                    Availability.CAUSE);
        }
        return EpollAioOperations.open(config);
    }

    @Override
    public String toString() {
        return "EpollAioProvider[available=" + isAvailable() + "]";
    }

    /** Checked once: can this JVM open a selector? */
    private static final class Availability {
        static final Throwable CAUSE = check();

        private static Throwable check() {
            try (Selector probe = Selector.open()) {
                return probe.isOpen() ? null : new IllegalStateException("a java.nio Selector could not be opened");
            } catch (IOException | RuntimeException e) {
                return new IllegalStateException("a java.nio Selector could not be opened: " + e, e);
            }
        }
    }
}
