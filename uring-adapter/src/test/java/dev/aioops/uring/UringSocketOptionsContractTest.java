package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.SocketOptionsContract;

class UringSocketOptionsContractTest extends SocketOptionsContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
