package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.FileSystemContract;

class VertxFileSystemContractTest extends FileSystemContract {

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
