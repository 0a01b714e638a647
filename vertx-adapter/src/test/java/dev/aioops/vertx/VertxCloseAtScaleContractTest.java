package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.CloseAtScaleContract;

class VertxCloseAtScaleContractTest extends CloseAtScaleContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
