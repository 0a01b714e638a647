package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.VectoredContract;

class UringVectoredContractTest extends VectoredContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
