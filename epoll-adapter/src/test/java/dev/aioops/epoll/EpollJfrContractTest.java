package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.JfrContract;

/** The TCK's JfrContract on the epoll adapter. */
class EpollJfrContractTest extends JfrContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
