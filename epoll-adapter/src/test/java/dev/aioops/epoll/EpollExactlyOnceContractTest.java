package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ExactlyOnceContract;

/** The TCK's ExactlyOnceContract on the epoll adapter. */
class EpollExactlyOnceContractTest extends ExactlyOnceContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
