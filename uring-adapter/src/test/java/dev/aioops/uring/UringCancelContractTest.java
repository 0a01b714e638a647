package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.CancelContract;

class UringCancelContractTest extends CancelContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
