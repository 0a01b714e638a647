package dev.aioops.uring;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.uring.internal.UringAvailability;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Availability, its explanations, and the fallback of {@link Aio} when io_uring cannot be used. */
class UringAvailabilityTest {

    @AfterEach
    void clearSimulation() {
        System.clearProperty(UringAvailability.SIMULATE_PROPERTY);
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
}
