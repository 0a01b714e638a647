package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.SocketOptionsContract;

class VertxSocketOptionsContractTest extends SocketOptionsContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
