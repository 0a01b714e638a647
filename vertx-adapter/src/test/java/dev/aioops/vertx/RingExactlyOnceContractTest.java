package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ExactlyOnceContract;

class RingExactlyOnceContractTest extends ExactlyOnceContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
