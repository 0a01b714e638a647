package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.SendFileContract;

class EpollSendFileContractTest extends SendFileContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
