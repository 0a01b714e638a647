package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ListenOptionsContract;

class VertxListenOptionsContractTest extends ListenOptionsContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
