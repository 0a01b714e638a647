package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.EventfdContract;

class RingEventfdContractTest extends EventfdContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
