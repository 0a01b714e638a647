package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.StalledWriteContract;

class EpollStalledWriteContractTest extends StalledWriteContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
