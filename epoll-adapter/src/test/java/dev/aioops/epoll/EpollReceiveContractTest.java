package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ReceiveContract;

class EpollReceiveContractTest extends ReceiveContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
