package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ListenOptionsContract;

class RingListenOptionsContractTest extends ListenOptionsContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
