package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.GroupContract;

class UringGroupContractTest extends GroupContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
