package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.StatsContract;

/** The TCK's StatsContract on the epoll adapter. */
class EpollStatsContractTest extends StatsContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }

    @Override
    protected boolean countsTurns() {
        return true;
    }
}
