package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.StaleHandleContract;

class UringStaleHandleContractTest extends StaleHandleContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
