package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.ReceiveContract;

class UringReceiveContractTest extends ReceiveContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
