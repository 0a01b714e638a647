package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.SocketContract;

class UringSocketContractTest extends SocketContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
