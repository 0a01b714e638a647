package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.UnixSocketContract;

class VertxUnixSocketContractTest extends UnixSocketContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
