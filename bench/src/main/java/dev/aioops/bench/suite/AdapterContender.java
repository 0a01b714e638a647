package dev.aioops.bench.suite;

import dev.aioops.spi.AioProvider;

/** A contender that runs a workload on an aioops adapter: named after it, unavailable when it is. */
abstract class AdapterContender implements Contender {

    final AioProvider provider;
    private final String name;

    AdapterContender(AioProvider provider) {
        this(provider, nameOf(provider));
    }

    AdapterContender(AioProvider provider, String name) {
        this.provider = provider;
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String unavailable() {
        return unavailable(provider);
    }

    /** The name of a contender that runs on {@code provider}: "aioops uring". */
    static String nameOf(AioProvider provider) {
        return "aioops " + provider.name();
    }

    /** Why {@code provider} cannot run here, or null when it can. */
    static String unavailable(AioProvider provider) {
        return provider.isAvailable() ? null : String.valueOf(provider.unavailabilityCause());
    }
}
