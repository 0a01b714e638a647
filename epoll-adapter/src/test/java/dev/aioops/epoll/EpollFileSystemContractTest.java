package dev.aioops.epoll;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.FileSystemContract;

class EpollFileSystemContractTest extends FileSystemContract {

    @Override
    protected AioProvider provider() {
        return new EpollAioProvider();
    }
}
