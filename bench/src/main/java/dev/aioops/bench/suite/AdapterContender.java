package dev.aioops.bench.suite;

import dev.aioops.spi.AioProvider;

/** A contender that runs a workload on an aioops adapter: named after it, unavailable when it is. */
abstract class AdapterContender implements Contender {

    final AioProvider provider;

    AdapterContender(AioProvider provider) {
        this.provider = provider;
    }

    @Override
    public String name() {
        return "aioops " + provider.name();
    }

    @Override
    public String unavailable() {
        return provider.isAvailable() ? null : String.valueOf(provider.unavailabilityCause());
    }
}
