package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.StaleHandleContract;

class VertxStaleHandleContractTest extends StaleHandleContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
