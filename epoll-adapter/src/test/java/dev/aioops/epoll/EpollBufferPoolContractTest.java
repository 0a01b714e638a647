package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.BufferPoolContract;

/** The TCK's BufferPoolContract on the epoll adapter. */
class EpollBufferPoolContractTest extends BufferPoolContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
