package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ConfinedOpenContract;

class EpollConfinedOpenContractTest extends ConfinedOpenContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
