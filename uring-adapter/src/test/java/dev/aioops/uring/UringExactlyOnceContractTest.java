package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ExactlyOnceContract;

class UringExactlyOnceContractTest extends ExactlyOnceContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
