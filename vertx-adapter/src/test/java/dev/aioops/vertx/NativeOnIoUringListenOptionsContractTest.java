package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ListenOptionsContract;

class NativeOnIoUringListenOptionsContractTest extends ListenOptionsContract {

    @Override
    protected AioProvider provider() {
        return new NativeOnIoUringProvider();
    }
}
