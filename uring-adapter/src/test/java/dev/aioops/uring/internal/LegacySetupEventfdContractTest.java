package dev.aioops.uring.internal;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.EventfdContract;

/** The Eventfd contract on a ring set up without the 6.1+ task-running flags. */
class LegacySetupEventfdContractTest extends EventfdContract {

    @Override
    protected AioProvider provider() {
        return LegacySetupProvider.plain();
    }
}
