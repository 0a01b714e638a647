package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.HostDrivenContract;

/** The TCK's HostDrivenContract on the epoll adapter. */
class EpollHostDrivenContractTest extends HostDrivenContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
