package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.MisuseContract;

class VertxMisuseContractTest extends MisuseContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
