package dev.aioops.uring.internal;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.FileContract;

/** The File contract on a ring with a kernel SQ polling thread. */
class SqPollFileContractTest extends FileContract {

    @Override
    protected AioProvider provider() {
        return LegacySetupProvider.sqPoll();
    }
}
