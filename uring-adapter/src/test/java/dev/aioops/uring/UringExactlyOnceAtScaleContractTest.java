package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ExactlyOnceAtScaleContract;

class UringExactlyOnceAtScaleContractTest extends ExactlyOnceAtScaleContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
