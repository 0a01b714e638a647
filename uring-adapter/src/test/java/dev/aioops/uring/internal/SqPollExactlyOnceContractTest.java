package dev.aioops.uring.internal;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ExactlyOnceContract;

/** The ExactlyOnce contract on a ring with a kernel SQ polling thread. */
class SqPollExactlyOnceContractTest extends ExactlyOnceContract {

    @Override
    protected AioProvider provider() {
        return LegacySetupProvider.sqPoll();
    }
}
