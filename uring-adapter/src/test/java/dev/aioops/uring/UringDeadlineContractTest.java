package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.DeadlineContract;

class UringDeadlineContractTest extends DeadlineContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
