package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ConfinedOpenContract;

class UringConfinedOpenContractTest extends ConfinedOpenContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
