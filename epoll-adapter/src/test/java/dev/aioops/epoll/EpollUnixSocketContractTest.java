package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.UnixSocketContract;

class EpollUnixSocketContractTest extends UnixSocketContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
