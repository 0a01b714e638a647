package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.JfrContract;

/** The TCK's JfrContract on the io_uring adapter. */
class UringJfrContractTest extends JfrContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
