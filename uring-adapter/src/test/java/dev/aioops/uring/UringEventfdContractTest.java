package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.EventfdContract;

class UringEventfdContractTest extends EventfdContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
