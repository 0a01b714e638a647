package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ReceiveContract;

class VertxReceiveContractTest extends ReceiveContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
