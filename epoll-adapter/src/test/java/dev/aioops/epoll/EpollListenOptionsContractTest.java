package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ListenOptionsContract;

class EpollListenOptionsContractTest extends ListenOptionsContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
