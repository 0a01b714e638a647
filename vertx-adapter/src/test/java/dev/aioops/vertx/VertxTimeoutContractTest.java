package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.TimeoutContract;

class VertxTimeoutContractTest extends TimeoutContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
