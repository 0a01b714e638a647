package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.EventfdContract;

class VertxEventfdContractTest extends EventfdContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
