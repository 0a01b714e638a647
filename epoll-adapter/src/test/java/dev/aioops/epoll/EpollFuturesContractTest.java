package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.FuturesContract;

class EpollFuturesContractTest extends FuturesContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
