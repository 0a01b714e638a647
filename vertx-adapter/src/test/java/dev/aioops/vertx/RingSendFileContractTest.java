package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.SendFileContract;

class RingSendFileContractTest extends SendFileContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
