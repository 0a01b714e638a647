package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.MisuseContract;

class UringMisuseContractTest extends MisuseContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
