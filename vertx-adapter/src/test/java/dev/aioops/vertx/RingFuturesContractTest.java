package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.FuturesContract;

class RingFuturesContractTest extends FuturesContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
