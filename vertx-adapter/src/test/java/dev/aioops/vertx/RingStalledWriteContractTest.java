package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.StalledWriteContract;

class RingStalledWriteContractTest extends StalledWriteContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
