package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ExactlyOnceAtScaleContract;

class EpollExactlyOnceAtScaleContractTest extends ExactlyOnceAtScaleContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
