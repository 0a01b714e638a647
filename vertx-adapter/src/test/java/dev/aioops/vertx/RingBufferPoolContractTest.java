package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.BufferPoolContract;

class RingBufferPoolContractTest extends BufferPoolContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
