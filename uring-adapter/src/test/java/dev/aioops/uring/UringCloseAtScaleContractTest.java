package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.CloseAtScaleContract;

class UringCloseAtScaleContractTest extends CloseAtScaleContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
