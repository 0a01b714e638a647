package dev.aioops.uring;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.uring.internal.UringAvailability;
import dev.aioops.uring.internal.UringException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Availability, its explanations, and the fallback of {@link Aio} when io_uring cannot be used. */
class UringAvailabilityTest {

    @AfterEach
    void clearSimulation() {
        System.clearProperty(UringAvailability.SIMULATE_PROPERTY);
        System.clearProperty(UringAvailability.SIMULATE_SETUP_PROPERTY);
        System.clearProperty(Aio.ADAPTER_PROPERTY);
    }

    @Test
    void availableOnThisKernel() {
        UringAioProvider provider = new UringAioProvider();
        assertThat(provider.isAvailable()).as("cause: %s", provider.unavailabilityCause()).isTrue();
        assertThat(provider.unavailabilityCause()).isNull();
        assertThat(provider.name()).isEqualTo("uring");
        assertThat(provider.priority()).isEqualTo(300);
    }

    @Test
    void foundByTheServiceLoaderAndChosenFirst() {
        assertThat(Aio.provider("uring")).isPresent();
        assertThat(Aio.provider().name()).isEqualTo("uring");
    }

    @ParameterizedTest
    @CsvSource({
        "EPERM, seccomp",
        "ENOSYS, kernel has no io_uring",
        "ENOMEM, RLIMIT_MEMLOCK",
        "NATIVE_ACCESS, --enable-native-access"
    })
    void unavailabilityIsExplainedInWords(String failure, String expectedWords) {
        System.setProperty(UringAvailability.SIMULATE_PROPERTY, failure);
        UringAioProvider provider = new UringAioProvider();
        assertThat(provider.isAvailable()).isFalse();
        assertThat(provider.unavailabilityCause()).isNotNull();
        assertThat(provider.unavailabilityCause().getMessage()).contains(expectedWords);
        assertThatThrownBy(() -> provider.open(AioConfig.defaults()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(expectedWords);
    }

    @Test
    void aSetupFailureInjectedThroughTheConstructorMakesItUnavailable() {
        UringAioProvider provider = new UringAioProvider(() -> UringAvailability.explain(1));
        assertThat(provider.isAvailable()).isFalse();
        assertThat(provider.unavailabilityCause().getMessage()).contains("io_uring is not available");
    }

    @Test
    void aioFallsBackToTheNextAdapterWhenIoUringIsBlocked() {
        System.setProperty(UringAvailability.SIMULATE_PROPERTY, "EPERM");
        AioProvider chosen = Aio.provider();
        assertThat(chosen.name()).isEqualTo(FallbackTestProvider.NAME);
        try (AioOperations ops = Aio.open()) {
            assertThat(ops.adapterName()).isEqualTo(FallbackTestProvider.NAME);
        }
    }

    @Test
    void aRequestedButBlockedIoUringFallsBackToo() {
        System.setProperty(UringAvailability.SIMULATE_PROPERTY, "ENOSYS");
        System.setProperty(Aio.ADAPTER_PROPERTY, "uring");
        assertThat(Aio.provider().name()).isEqualTo(FallbackTestProvider.NAME);
    }

    @Test
    void aRingTheKernelRefusesAtOpenFailsWithTheRingAndTheCauseNamed() {
        // A memory limit that the probe's default ring (4096 CQ entries) passes and a larger one does not.
        System.setProperty(UringAvailability.SIMULATE_SETUP_PROPERTY, "ENOMEM:8192");
        UringAioProvider provider = new UringAioProvider();
        assertThat(provider.isAvailable()).isTrue();
        try (AioOperations ops = provider.open(AioConfig.defaults())) {
            assertThat(ops.adapterName()).isEqualTo("uring");
        }
        AioConfig big = AioConfig.builder().queueDepth(4096).build();
        assertThatThrownBy(() -> provider.open(big))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("io_uring could not be opened")
                .hasMessageContaining("4096 SQ and 8192 CQ entries")
                .hasMessageContaining("ENOMEM")
                .hasMessageContaining("RLIMIT_MEMLOCK")
                .hasMessageContaining("-Daioops.adapter=epoll")
                .cause().isInstanceOf(AioException.class)
                .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(AioErrno.ENOMEM));
    }

    @Test
    void anOpenerThatFailsWithAnErrnoIsExplained() {
        UringAioProvider provider = new UringAioProvider(() -> null, config -> {
            throw new UringException(AioErrno.EMFILE, "io_uring_setup");
        });
        assertThatThrownBy(() -> provider.open(AioConfig.defaults()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("256 SQ and 4096 CQ entries")
                .hasMessageContaining("ulimit -n")
                .hasMessageContaining("EMFILE");
    }

    @Test
    void aioOpenFallsBackWhenTheRingCannotBeSetUp() {
        System.setProperty(UringAvailability.SIMULATE_SETUP_PROPERTY, "ENOMEM:8192");
        assertThat(Aio.provider().name()).as("the probe passed").isEqualTo("uring");
        try (AioOperations ops = Aio.open(AioConfig.builder().queueDepth(4096).build())) {
            assertThat(ops.adapterName()).isEqualTo(FallbackTestProvider.NAME);
        }
    }
}
