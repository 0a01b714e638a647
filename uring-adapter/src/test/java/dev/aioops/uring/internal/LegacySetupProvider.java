package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;

/**
 * Opens rings the way kernels before 6.1 must (no SINGLE_ISSUER, DEFER_TASKRUN, COOP_TASKRUN, R_DISABLED), or
 * with SQPOLL, so that the conformance suite also covers those paths on this kernel.
 */
final class LegacySetupProvider implements AioProvider {

    private final int[] setup;
    private final String name;

    private LegacySetupProvider(String name, int... setup) {
        this.name = name;
        this.setup = setup;
    }

    static LegacySetupProvider plain() {
        return new LegacySetupProvider("uring-plain", 0);
    }

    static LegacySetupProvider sqPoll() {
        return new LegacySetupProvider("uring-sqpoll", UringLayout.SETUP_SQPOLL);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public boolean isAvailable() {
        return UringAvailability.cause() == null;
    }

    @Override
    public Throwable unavailabilityCause() {
        return UringAvailability.cause();
    }

    @Override
    public AioOperations open(AioConfig config) {
        return UringAioOperations.open(config, 0, setup);
    }
}
