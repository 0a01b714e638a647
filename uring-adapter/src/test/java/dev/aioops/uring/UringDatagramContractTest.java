package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.DatagramContract;

class UringDatagramContractTest extends DatagramContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
