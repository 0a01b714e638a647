package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.GroupContract;

class EpollGroupContractTest extends GroupContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
