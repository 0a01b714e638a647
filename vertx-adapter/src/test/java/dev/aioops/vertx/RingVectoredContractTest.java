package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.VectoredContract;

class RingVectoredContractTest extends VectoredContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
