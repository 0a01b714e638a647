package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.HostDrivenContract;

class UringHostDrivenContractTest extends HostDrivenContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
