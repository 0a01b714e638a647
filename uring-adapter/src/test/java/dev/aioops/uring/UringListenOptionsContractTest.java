package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ListenOptionsContract;

class UringListenOptionsContractTest extends ListenOptionsContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
