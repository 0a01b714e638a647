package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.UnixSocketContract;

class RingUnixSocketContractTest extends UnixSocketContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
