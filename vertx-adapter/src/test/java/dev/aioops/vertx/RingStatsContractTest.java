package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.StatsContract;

/** The TCK's StatsContract on the Vert.x shared-ring mode. */
class RingStatsContractTest extends StatsContract {

    @Override
    protected AioProvider provider() {
        return new RingProvider();
    }
}
