package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.DeadlineContract;

class VertxDeadlineContractTest extends DeadlineContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
