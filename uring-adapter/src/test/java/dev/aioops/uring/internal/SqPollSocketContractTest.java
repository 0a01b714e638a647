package dev.aioops.uring.internal;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.SocketContract;

/** The Socket contract on a ring with a kernel SQ polling thread. */
class SqPollSocketContractTest extends SocketContract {

    @Override
    protected AioProvider provider() {
        return LegacySetupProvider.sqPoll();
    }
}
