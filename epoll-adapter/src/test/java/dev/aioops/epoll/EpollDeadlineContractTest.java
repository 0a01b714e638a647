package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.DeadlineContract;

class EpollDeadlineContractTest extends DeadlineContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
