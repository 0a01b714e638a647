package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.DatagramContract;

class VertxDatagramContractTest extends DatagramContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
