package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ConfinedOpenContract;

class VertxConfinedOpenContractTest extends ConfinedOpenContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
