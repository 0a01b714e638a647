package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.DatagramContract;

class RingDatagramContractTest extends DatagramContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
