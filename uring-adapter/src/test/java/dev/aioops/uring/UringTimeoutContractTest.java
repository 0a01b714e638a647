package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.TimeoutContract;

class UringTimeoutContractTest extends TimeoutContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
