package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioListenOptions;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.uring.ring.UringLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The options of a listen reach the socket before its bind on both of io_uring's listen paths: the ring's
 * {@code SOCKET}, {@code BIND}, {@code LISTEN} (Linux 6.11) and the system calls it falls back to. The TCK runs
 * the first on this kernel; this test forces each.
 */
@Timeout(60)
class UringListenOptionsTest {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static int listen(UringAioOperations ops, InetSocketAddress address, AioListenOptions options) {
        Results listened = new Results();
        ops.execute(() -> ops.listen(address, 16, options, null, listened));
        return listened.await();
    }

    private static void check(UringAioOperations ops) throws Exception {
        AioListenOptions reuse = AioListenOptions.reusePort().with(AioSocketOption.SO_REUSEADDR, 0);
        int first = listen(ops, new InetSocketAddress(LOOPBACK, 0), reuse);
        assertThat(first).isGreaterThanOrEqualTo(0);
        InetSocketAddress bound = (InetSocketAddress) ops.localAddress(first);
        assertThat(ops.socketOption(first, AioSocketOption.SO_REUSEPORT)).isEqualTo(1);
        assertThat(ops.socketOption(first, AioSocketOption.SO_REUSEADDR)).isZero();
        assertThat(listen(ops, bound, reuse)).as("a second listener on the port").isGreaterThanOrEqualTo(0);
        assertThat(listen(ops, bound, AioListenOptions.defaults())).isEqualTo(-AioErrno.EADDRINUSE);
    }

    @Test
    void throughTheRing() throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().build())) {
            assumeThat(ListenSteps.supported(ops.supportedOpcodes())).as("IORING_OP_BIND and LISTEN").isTrue();
            check(ops);
        }
    }

    @Test
    void throughTheSystemCalls() throws Exception {
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.builder().build())) {
            CompletableFuture<Void> pretended = new CompletableFuture<>();
            ops.execute(() -> {
                ops.pretendUnsupported(UringLayout.OP_LISTEN);
                pretended.complete(null);
            });
            pretended.get(10, TimeUnit.SECONDS);
            check(ops);
        }
    }
}
