package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.AcceptStreamContract;

class EpollAcceptStreamContractTest extends AcceptStreamContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
