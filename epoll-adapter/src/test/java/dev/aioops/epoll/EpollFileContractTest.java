package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.FileContract;

/** The TCK's FileContract on the epoll adapter. */
class EpollFileContractTest extends FileContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
