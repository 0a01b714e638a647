package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.FileContract;

class RingFileContractTest extends FileContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
