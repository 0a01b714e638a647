package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.JfrContract;

/** The TCK's JfrContract on the Vert.x shared-ring mode. */
class RingJfrContractTest extends JfrContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
