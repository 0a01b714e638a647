package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.EventfdContract;

/** The TCK's EventfdContract on the epoll adapter. */
class EpollEventfdContractTest extends EventfdContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
