package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ExactlyOnceAtScaleContract;

class RingExactlyOnceAtScaleContractTest extends ExactlyOnceAtScaleContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
