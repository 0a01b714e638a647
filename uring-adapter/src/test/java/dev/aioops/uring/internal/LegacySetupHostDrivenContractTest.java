package dev.aioops.uring.internal;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.HostDrivenContract;

/** The HostDriven contract on a ring set up without the 6.1+ task-running flags. */
class LegacySetupHostDrivenContractTest extends HostDrivenContract {

    @Override
    protected AioProvider provider() {
        return LegacySetupProvider.plain();
    }
}
