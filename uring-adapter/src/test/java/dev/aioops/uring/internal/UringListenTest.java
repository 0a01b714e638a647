package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.uring.ring.UringLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Listen is an operation of the ring where the kernel has {@code IORING_OP_BIND} and {@code LISTEN} (issue 11,
 * defect 8), with the old system calls as the fallback, and a listener's local address is read once at listen.
 */
@Timeout(60)
class UringListenTest {

    private static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** Listens from the loop thread and returns {token, handle}. */
    private static long[] listenOnLoop(UringAioOperations ops) throws Exception {
        CompletableFuture<Long> token = new CompletableFuture<>();
        Results listened = new Results();
        ops.execute(() -> token.complete(ops.listen(ANY_PORT, 16, null, listened)));
        return new long[]{token.get(10, TimeUnit.SECONDS), listened.await()};
    }

    @Test
    void listenGoesThroughTheRingAndTheListenerAccepts() throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().build())) {
            assumeThat(ListenSteps.supported(ring(ops))).as("IORING_OP_BIND and LISTEN (Linux 6.11)").isTrue();
            long[] listened = listenOnLoop(ops);
            assertThat(listened[0]).as("the token of an op in the ring, not of a synchronous call")
                    .isGreaterThan(0xffff_ffffL);
            int handle = (int) listened[1];
            assertThat(handle).isPositive();
            InetSocketAddress local = (InetSocketAddress) ops.localAddress(handle);
            assertThat(local.getPort()).isPositive();
            assertThat(ops.localAddress(handle)).as("read once at listen, not per call").isSameAs(local);
            Results accepted = new Results();
            ops.accept(handle, null, accepted);
            try (Socket client = new Socket(local.getAddress(), local.getPort())) {
                assertThat(client.isConnected()).isTrue();
                assertThat(accepted.await()).isPositive();
            }
        }
    }

    @Test
    void withoutBindAndListenOpcodesListenFallsBackToSystemCalls() throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().build())) {
            CompletableFuture<Void> pretended = new CompletableFuture<>();
            ops.execute(() -> {
                ops.pretendUnsupported(UringLayout.OP_LISTEN);
                pretended.complete(null);
            });
            pretended.get(10, TimeUnit.SECONDS);
            long[] listened = listenOnLoop(ops);
            assertThat(listened[0]).isLessThanOrEqualTo(0xffff_ffffL);
            int handle = (int) listened[1];
            InetSocketAddress local = (InetSocketAddress) ops.localAddress(handle);
            assertThat(local.getPort()).isPositive();
            assertThat(ops.localAddress(handle)).isSameAs(local);
            Results accepted = new Results();
            ops.accept(handle, null, accepted);
            try (Socket client = new Socket(local.getAddress(), local.getPort())) {
                assertThat(client.isConnected()).isTrue();
                assertThat(accepted.await()).isPositive();
            }
        }
    }

    @Test
    void aUnixListenerWorksThroughTheRingAndThroughTheSystemCalls(@TempDir Path dir) throws Exception {
        for (boolean ring : new boolean[] {true, false}) {
            try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().build())) {
                if (!ring) {
                    CompletableFuture<Void> pretended = new CompletableFuture<>();
                    ops.execute(() -> {
                        ops.pretendUnsupported(UringLayout.OP_LISTEN);
                        pretended.complete(null);
                    });
                    pretended.get(10, TimeUnit.SECONDS);
                } else {
                    assumeThat(ListenSteps.supported(ring(ops))).as("IORING_OP_BIND and LISTEN").isTrue();
                }
                UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve(ring ? "ring" : "calls"));
                Results listened = new Results();
                ops.execute(() -> ops.listen(path, 4, null, listened));
                int handle = listened.await();
                assertThat(handle).as("listen through the %s", ring ? "ring" : "system calls").isPositive();
                assertThat(ops.localAddress(handle)).isEqualTo(path);
                Results again = new Results();
                ops.execute(() -> ops.listen(path, 4, null, again));
                assertThat(again.await()).as("the path is taken").isEqualTo(-AioErrno.EADDRINUSE);
                Results accepted = new Results();
                ops.accept(handle, null, accepted);
                try (SocketChannel client = SocketChannel.open(path)) {
                    assertThat(client.isConnected()).isTrue();
                    int connection = accepted.await();
                    assertThat(connection).isPositive();
                    assertThat(ops.localAddress(connection)).isEqualTo(path);
                }
            }
        }
    }

    private static OpcodeSupport ring(UringAioOperations ops) {
        return ops.supportedOpcodes();
    }
}
