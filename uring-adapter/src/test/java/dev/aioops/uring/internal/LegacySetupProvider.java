package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.uring.ring.UringLayout;

/**
 * Opens rings the way older kernels must: without SINGLE_ISSUER, DEFER_TASKRUN, COOP_TASKRUN and R_DISABLED (6.1)
 * cancelling op by op rather than by fd or all at once (5.19), and bounding waits with a timer op rather than a
 * timeout argument (5.11); or with SQPOLL. The conformance suite then
 * covers those paths on this kernel too.
 */
final class LegacySetupProvider implements AioProvider {

    private final int[] setup;
    private final String name;
    private final boolean cancelOneByOne;

    private LegacySetupProvider(String name, boolean cancelOneByOne, int... setup) {
        this.name = name;
        this.cancelOneByOne = cancelOneByOne;
        this.setup = setup;
    }

    static LegacySetupProvider plain() {
        return new LegacySetupProvider("uring-plain", true, 0);
    }

    static LegacySetupProvider sqPoll() {
        return new LegacySetupProvider("uring-sqpoll", false, UringLayout.SETUP_SQPOLL);
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
        UringAioOperations ops = UringAioOperations.open(config, 0, setup);
        if (cancelOneByOne) {
            ops.pretendNoCancelKeys();
            ops.pretendNoExtArg();
            ops.pretendUnsupported(UringLayout.OP_SOCKET); // no RECVSEND_POLL_FIRST before 5.19 either
        }
        return ops;
    }
}
