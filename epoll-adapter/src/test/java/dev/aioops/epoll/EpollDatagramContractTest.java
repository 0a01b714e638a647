package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.DatagramContract;

class EpollDatagramContractTest extends DatagramContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
