package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.AcceptStreamContract;

class UringAcceptStreamContractTest extends AcceptStreamContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
