package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.JfrContract;

/** The TCK's JfrContract on the Vert.x-native mode. */
class VertxJfrContractTest extends JfrContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
