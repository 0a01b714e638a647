package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.SocketContract;

/** The TCK's SocketContract on the epoll adapter. */
class EpollSocketContractTest extends SocketContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
