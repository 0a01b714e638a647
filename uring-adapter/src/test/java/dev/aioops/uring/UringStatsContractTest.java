package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.StatsContract;

/** The TCK's StatsContract on the io_uring adapter. */
class UringStatsContractTest extends StatsContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }

    @Override
    protected boolean countsTurns() {
        return true;
    }

    @Override
    protected boolean countsRingEntries() {
        return true;
    }
}
