package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.HostDrivenContract;

class RingHostDrivenContractTest extends HostDrivenContract {
    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
