package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.StaleHandleContract;

class RingStaleHandleContractTest extends StaleHandleContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
