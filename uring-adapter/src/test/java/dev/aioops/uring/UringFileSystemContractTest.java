package dev.aioops.uring;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.FileSystemContract;

class UringFileSystemContractTest extends FileSystemContract {

    @Override
    protected AioProvider provider() {
        return new UringAioProvider();
    }
}
