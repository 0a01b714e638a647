package dev.aioops.crossadapter;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The suite is only as good as the adapters it finds: make a missing one visible. */
class AdapterDiscoveryTest {

    @Test
    void finds_the_adapters_and_the_baseline_is_available() {
        assertThat(Aio.providers()).extracting(AioProvider::name).contains("epoll", "uring", "vertx");
        assertThat(Aio.provider("epoll")).get().matches(AioProvider::isAvailable, "epoll is available everywhere");
        for (AioProvider p : Aio.providers()) {
            System.out.println("adapter " + p.name() + ": " + (p.isAvailable() ? "available"
                    : "not available: " + p.unavailabilityCause()));
        }
    }
}
