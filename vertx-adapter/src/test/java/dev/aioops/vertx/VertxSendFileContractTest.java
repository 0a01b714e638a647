package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.SendFileContract;

class VertxSendFileContractTest extends SendFileContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
