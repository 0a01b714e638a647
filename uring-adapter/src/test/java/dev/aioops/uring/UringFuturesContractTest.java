package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.FuturesContract;

class UringFuturesContractTest extends FuturesContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
