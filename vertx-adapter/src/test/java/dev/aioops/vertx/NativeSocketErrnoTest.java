package dev.aioops.vertx;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import dev.aioops.tck.AioCompletionRecorder;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Vert.x-native mode: socket failures carry the errno a kernel socket gives, as on the other adapters. */
class NativeSocketErrnoTest {

    @ParameterizedTest(name = "peer reset: {0}")
    @ValueSource(booleans = {false, true})
    @Timeout(60)
    void writesAfterThePeerClosedOrResetFailWithEpipeOrEconnresetNotEbadf(boolean reset) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        // A plain Java peer, closed (FIN) or reset (RST) by the test.
        try (AioOperations ops = new VertxAioProvider(Transport.NIO).open(AioConfig.defaults());
             Arena arena = Arena.ofShared();
             ServerSocket server = new ServerSocket(0, 8, loopback)) {
            AioCompletionRecorder<Object> connected = new AioCompletionRecorder<>(ops);
            ops.connect(new InetSocketAddress(loopback, server.getLocalPort()), null, connected);
            Socket peer = server.accept();
            int handle = connected.await();
            assertThat(handle).isPositive();
            if (reset) {
                peer.setSoLinger(true, 0);
            }
            peer.close();
            MemorySegment data = arena.allocate(64 * 1024);
            // Bursts of writes, taken by the loop in one turn: the first may still be accepted before the reset
            // is seen, the one that meets it fails, and those queued behind it meet a channel Vert.x closed.
            List<Integer> failures = new ArrayList<>();
            for (int burst = 0; burst < 100 && failures.isEmpty(); burst++) {
                List<AioCompletionRecorder<Object>> writes = new ArrayList<>();
                for (int i = 0; i < 32; i++) {
                    AioCompletionRecorder<Object> written = new AioCompletionRecorder<>(ops);
                    ops.write(handle, data, AioOperations.STREAM, null, written);
                    writes.add(written);
                }
                for (AioCompletionRecorder<Object> written : writes) {
                    if (written.await() < 0) {
                        failures.add(written.result());
                    }
                }
            }
            assertThat(failures).as("writes after the peer went").isNotEmpty();
            assertThat(failures).as("every failed write: %s", failures.stream().map(AioErrno::name).toList())
                    .allMatch(e -> e == -AioErrno.EPIPE || e == -AioErrno.ECONNRESET);
        }
    }
}
