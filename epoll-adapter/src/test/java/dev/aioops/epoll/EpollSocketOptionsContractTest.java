package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.SocketOptionsContract;

class EpollSocketOptionsContractTest extends SocketOptionsContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
