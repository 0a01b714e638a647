package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.SendFileContract;

class UringSendFileContractTest extends SendFileContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
