package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.AcceptStreamContract;

class VertxAcceptStreamContractTest extends AcceptStreamContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
