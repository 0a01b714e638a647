package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.FileContract;

class UringFileContractTest extends FileContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
