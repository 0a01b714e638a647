package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.VectoredContract;

class EpollVectoredContractTest extends VectoredContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
