package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.StalledWriteContract;

class UringStalledWriteContractTest extends StalledWriteContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
