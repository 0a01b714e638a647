package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.CancelContract;

/** The TCK's CancelContract on the epoll adapter. */
class EpollCancelContractTest extends CancelContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
