package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.VectoredContract;

class VertxVectoredContractTest extends VectoredContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
