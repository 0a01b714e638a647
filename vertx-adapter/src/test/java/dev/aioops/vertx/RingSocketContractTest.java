package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.SocketContract;

class RingSocketContractTest extends SocketContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
