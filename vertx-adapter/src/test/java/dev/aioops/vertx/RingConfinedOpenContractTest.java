package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ConfinedOpenContract;

class RingConfinedOpenContractTest extends ConfinedOpenContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
