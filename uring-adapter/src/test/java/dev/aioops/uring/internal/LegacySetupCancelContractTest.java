package dev.aioops.uring.internal;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.CancelContract;

/** The Cancel contract on a ring set up without the 6.1+ task-running flags. */
class LegacySetupCancelContractTest extends CancelContract {

    @Override
    protected AioProvider provider() {
        return LegacySetupProvider.plain();
    }
}
