package dev.aioops.spi;

import org.junit.jupiter.api.Test;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AioSelectionTest {

    private final AioProvider uring = new NamedProvider("uring", 300,
            new UnsupportedOperationException("io_uring_setup failed with EPERM: blocked by a seccomp profile"));
    private final AioProvider epoll = new NamedProvider("epoll", 200, null);
    private final AioProvider vertx = new NamedProvider("vertx", 100, null);

    @Test
    void picksTheBestAvailableAndSaysWhyOthersWereNot() {
        Aio.Selection s = Aio.select(null, List.of(uring, epoll, vertx));

        assertThat(s.provider()).isSameAs(epoll);
        assertThat(s.fellBack()).isFalse();
        assertThat(s.explanation()).contains("'epoll'", "best available", "uring: io_uring_setup failed with EPERM");
    }

    @Test
    void honoursARequestedAvailableAdapterOverABetterOne() {
        Aio.Selection s = Aio.select("vertx", List.of(uring, epoll, vertx));

        assertThat(s.provider()).isSameAs(vertx);
        assertThat(s.explanation()).contains("as requested");
    }

    @Test
    void fallsBackWithAWarningWhenTheRequestedAdapterIsUnavailable() {
        Aio.Selection s = Aio.select("uring", List.of(uring, epoll, vertx));

        assertThat(s.provider()).isSameAs(epoll);
        assertThat(s.fellBack()).isTrue();
        assertThat(s.explanation()).contains("'uring' was requested but is not available", "seccomp",
                "using 'epoll' instead");
    }

    @Test
    void rejectsAnUnknownAdapterNameListingTheKnownOnes() {
        assertThatThrownBy(() -> Aio.select("iouring", List.of(uring, epoll)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'iouring'")
                .hasMessageContaining("[uring, epoll]");
    }

    @Test
    void failsClearlyWhenNothingIsAvailable() {
        assertThatThrownBy(() -> Aio.select(null, List.of(uring)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no aioops adapter is available")
                .hasMessageContaining("EPERM");
        assertThatThrownBy(() -> Aio.select(null, List.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("add aioops-epoll-adapter");
    }

    @Test
    void findsNoProviderOnTheSpiAlone() {
        assertThat(Aio.providers()).isEmpty();
        assertThat(Aio.provider("epoll")).isEmpty();
        assertThatThrownBy(Aio::open).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void opensTheNextAvailableAdapterWhenTheChosenOneFailsToOpen() {
        AioOperations opened = (AioOperations) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{AioOperations.class}, (proxy, method, args) -> {
                    throw new UnsupportedOperationException("only its identity is used");
                });
        AioProvider failing = new OpeningProvider("uring", 300, () -> {
            throw new UncheckedIOException(new IOException("io_uring_setup: Cannot allocate memory (ENOMEM)"));
        });
        AioProvider working = new OpeningProvider("epoll", 200, () -> opened);

        assertThat(Aio.openFirstThatWorks(failing, List.of(failing, working), AioConfig.defaults()))
                .isSameAs(opened);
    }

    @Test
    void saysWhyEachAdapterFailedWhenNoneOpens() {
        AioProvider failing = new OpeningProvider("uring", 300, () -> {
            throw new IllegalStateException("ring too large for RLIMIT_MEMLOCK");
        });
        AioProvider alsoFailing = new OpeningProvider("epoll", 200, () -> {
            throw new UncheckedIOException(new IOException("Too many open files"));
        });

        assertThatThrownBy(() -> Aio.openFirstThatWorks(failing, List.of(failing, alsoFailing),
                AioConfig.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("[uring, epoll]")
                .satisfies(e -> assertThat(e.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("ring too large for RLIMIT_MEMLOCK", "java.io.IOException: Too many open files"));
    }

    /** An available provider whose open runs the given code. */
    private record OpeningProvider(String name, int priority, Supplier<AioOperations> opener) implements AioProvider {
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
            return opener.get();
        }
    }

    /** A provider that cannot open anything: selection only looks at names, priorities and availability. */
    private record NamedProvider(String name, int priority, Throwable unavailabilityCause) implements AioProvider {
        @Override
        public boolean isAvailable() {
            return unavailabilityCause == null;
        }

        @Override
        public AioOperations open(AioConfig config) {
            throw new AssertionError("selection must not open a provider");
        }
    }
}
