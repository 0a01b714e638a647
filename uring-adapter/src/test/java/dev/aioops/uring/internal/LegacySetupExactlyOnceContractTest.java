package dev.aioops.uring.internal;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ExactlyOnceContract;

/** The ExactlyOnce contract on a ring set up without the 6.1+ task-running flags. */
class LegacySetupExactlyOnceContractTest extends ExactlyOnceContract {

    @Override
    protected AioProvider provider() {
        return LegacySetupProvider.plain();
    }
}
