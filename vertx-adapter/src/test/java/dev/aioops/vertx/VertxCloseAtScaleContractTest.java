package dev.aioops.vertx;

import dev.aioops.spi.AioProvider;
import dev.aioops.tck.CloseAtScaleContract;
import org.junit.jupiter.api.BeforeAll;

import java.io.IOException;
import java.nio.channels.SocketChannel;

class VertxCloseAtScaleContractTest extends CloseAtScaleContract {

    /**
     * The JDK opens one socket for the life of the process on the first use of a NIO socket (the end of a socket
     * pair its dispatcher dup2s over descriptors it closes under blocked threads): opened here, before the census,
     * so that the census sees only what the instance opens.
     */
    @BeforeAll
    static void openTheJdksOwnSocketFirst() throws IOException {
        SocketChannel.open().close();
    }

    @Override
    protected AioProvider provider() {
        return new VertxAioProvider();
    }
}
