package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.GroupContract;

class VertxGroupContractTest extends GroupContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
