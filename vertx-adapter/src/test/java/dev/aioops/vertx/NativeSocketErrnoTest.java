package dev.aioops.vertx;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import dev.aioops.tck.AioCompletionRecorder;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;

/** Vert.x-native mode: socket failures carry the errno a kernel socket gives, as on the other adapters. */
class NativeSocketErrnoTest {

    @Test
    @Timeout(60)
    void aWriteAfterThePeerResetFailsWithEpipeOrEconnresetNotEbadf() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (AioOperations ops = new VertxAioProvider(Transport.NIO).open(AioConfig.defaults());
             Arena arena = Arena.ofShared();
             ServerSocket server = new ServerSocket(0, 8, loopback)) {
            AioCompletionRecorder<Object> connected = new AioCompletionRecorder<>(ops);
            ops.connect(new InetSocketAddress(loopback, server.getLocalPort()), null, connected);
            Socket peer = server.accept();
            int handle = connected.await();
            assertThat(handle).isPositive();
            peer.setSoLinger(true, 0);
            peer.close();
            {

                MemorySegment data = arena.allocate(1024);
                int result = 0;
                // The first writes may still be taken before the reset is seen; one fails within a few.
                for (int i = 0; i < 1_000 && result >= 0; i++) {
                    AioCompletionRecorder<Object> written = new AioCompletionRecorder<>(ops);
                    ops.write(handle, data, AioOperations.STREAM, null, written);
                    result = written.await();
                }
                assertThat(result).as("write after the peer's reset: %s", AioErrno.name(result))
                        .isIn(-AioErrno.EPIPE, -AioErrno.ECONNRESET);
            }
        }
    }
}
