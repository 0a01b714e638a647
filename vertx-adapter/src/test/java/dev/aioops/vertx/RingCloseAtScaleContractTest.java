package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.CloseAtScaleContract;

class RingCloseAtScaleContractTest extends CloseAtScaleContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
