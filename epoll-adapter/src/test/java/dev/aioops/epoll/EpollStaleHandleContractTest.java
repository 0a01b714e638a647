package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.StaleHandleContract;

class EpollStaleHandleContractTest extends StaleHandleContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
