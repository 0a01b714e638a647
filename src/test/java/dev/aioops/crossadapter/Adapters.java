package dev.aioops.crossadapter;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.Named;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The adapters the suite runs on: every {@link AioProvider} that {@link java.util.ServiceLoader} finds on the
 * test class path and that is available in this process. Adding an adapter dependency to this module's pom is
 * all it takes for every test here to run on it too.
 */
final class Adapters {

    /** Restricts the suite to some adapters: {@code -Daioops.suite.adapters=uring,epoll}; unset means all. */
    static final String ONLY_PROPERTY = "aioops.suite.adapters";

    private Adapters() {
    }

    /**
     * The argument source of every parameterized test of the suite.
     *
     * @return the available providers, named for the test report
     */
    static Stream<Named<AioProvider>> available() {
        String only = System.getProperty(ONLY_PROPERTY, "").strip();
        Set<String> chosen = only.isEmpty() ? null : Set.of(only.split("\\s*,\\s*"));
        return Aio.providers().stream()
                .filter(AioProvider::isAvailable)
                .filter(p -> chosen == null || chosen.contains(p.name()))
                .map(p -> Named.of(p.name(), p));
    }

    /**
     * The configuration each test opens its instance with.
     *
     * @return small pools, a bounded close
     */
    static AioConfig config() {
        return AioConfig.builder().buffers(8, 64 * 1024).closeTimeout(Duration.ofSeconds(10)).build();
    }
}
