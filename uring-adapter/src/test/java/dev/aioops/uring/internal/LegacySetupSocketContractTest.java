package dev.aioops.uring.internal;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.SocketContract;

/** The Socket contract on a ring set up without the 6.1+ task-running flags. */
class LegacySetupSocketContractTest extends SocketContract {

    @Override
    protected AioProvider provider() {
        return LegacySetupProvider.plain();
    }
}
