package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.TimeoutContract;

/** The TCK's TimeoutContract on the epoll adapter. */
class EpollTimeoutContractTest extends TimeoutContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
