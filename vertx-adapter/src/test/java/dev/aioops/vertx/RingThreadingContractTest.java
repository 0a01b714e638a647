package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ThreadingContract;

class RingThreadingContractTest extends ThreadingContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
