package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.BufferPoolContract;

class UringBufferPoolContractTest extends BufferPoolContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
