package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ThreadingContract;

class VertxThreadingContractTest extends ThreadingContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
