package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.CloseAtScaleContract;

class EpollCloseAtScaleContractTest extends CloseAtScaleContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
