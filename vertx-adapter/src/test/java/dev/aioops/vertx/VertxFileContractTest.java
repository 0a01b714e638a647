package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.FileContract;

class VertxFileContractTest extends FileContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
