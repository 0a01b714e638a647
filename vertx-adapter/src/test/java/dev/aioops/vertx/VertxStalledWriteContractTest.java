package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.StalledWriteContract;

class VertxStalledWriteContractTest extends StalledWriteContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
