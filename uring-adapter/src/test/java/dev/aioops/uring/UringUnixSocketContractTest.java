package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.UnixSocketContract;

class UringUnixSocketContractTest extends UnixSocketContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
