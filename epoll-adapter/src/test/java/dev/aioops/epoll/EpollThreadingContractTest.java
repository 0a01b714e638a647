package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ThreadingContract;

/** The TCK's ThreadingContract on the epoll adapter. */
class EpollThreadingContractTest extends ThreadingContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
