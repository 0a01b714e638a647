package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ThreadingContract;

class UringThreadingContractTest extends ThreadingContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
