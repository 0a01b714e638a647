package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.CancelContract;

class RingCancelContractTest extends CancelContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
