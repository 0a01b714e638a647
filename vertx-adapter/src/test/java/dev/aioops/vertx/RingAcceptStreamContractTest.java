package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.AcceptStreamContract;

class RingAcceptStreamContractTest extends AcceptStreamContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
