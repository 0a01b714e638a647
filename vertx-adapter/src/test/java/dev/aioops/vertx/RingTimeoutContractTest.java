package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.TimeoutContract;

class RingTimeoutContractTest extends TimeoutContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
