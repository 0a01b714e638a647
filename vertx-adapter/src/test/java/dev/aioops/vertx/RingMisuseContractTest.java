package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.MisuseContract;

class RingMisuseContractTest extends MisuseContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
