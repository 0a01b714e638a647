package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.MisuseContract;

/** The TCK's MisuseContract on the epoll adapter. */
class EpollMisuseContractTest extends MisuseContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
