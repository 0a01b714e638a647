package dev.aioops.tck;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioListenOptions;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioServers;
import dev.aioops.spi.AioSocketOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.aioops.spi.AioSocketOption.SO_RCVBUF;
import static dev.aioops.spi.AioSocketOption.SO_REUSEADDR;
import static dev.aioops.spi.AioSocketOption.SO_REUSEPORT;
import static dev.aioops.spi.AioSocketOption.TCP_KEEPCNT;
import static dev.aioops.spi.AioSocketOption.TCP_KEEPIDLE;
import static dev.aioops.spi.AioSocketOption.TCP_NODELAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Listening with options set before the bind
 * ({@link dev.aioops.spi.AioSocketOperations#listen(SocketAddress, int, AioListenOptions, Object, AioCompletion)}):
 * {@code SO_REUSEPORT} lets several listeners, of one instance or of two, share a port and the kernel spreads the
 * connections over them; without it on either side the second bind fails with {@code -EADDRINUSE}; the options
 * reach the socket, and the connections inherit what Linux lets them inherit; misuse throws.
 */
public abstract class ListenOptionsContract extends AioContract {

    /** Connections made to a shared port: enough that all landing on one of two listeners (2^-31) never happens. */
    private static final int CONNECTIONS = 32;

    /** For subclasses. */
    protected ListenOptionsContract() {
    }

    private static InetSocketAddress anyPort() {
        return new InetSocketAddress(LOOPBACK, 0);
    }

    private int listen(AioOperations on, SocketAddress address, AioListenOptions options) {
        AioCompletionRecorder<Object> r = new AioCompletionRecorder<>(on);
        on.listen(address, 128, options, null, r);
        return r.await();
    }

    private int listenOk(AioOperations on, SocketAddress address, AioListenOptions options) {
        int handle = listen(on, address, options);
        assertThat(handle).as("listen %s with %s: %s", address, options, AioCompletionRecorder.describe(handle))
                .isGreaterThanOrEqualTo(0);
        return handle;
    }

    private static int port(AioOperations on, int listener) throws IOException {
        return ((InetSocketAddress) on.localAddress(listener)).getPort();
    }

    private void assumeReusePort() {
        assumeTrue(ops.supports(AioCapability.REUSE_PORT), ops.adapterName() + " does not offer REUSE_PORT here");
    }

    /** Keeps an accept pending on one listener, counting the connections, until the listener is closed. */
    private static final class Acceptor implements AioCompletion<Object> {
        private final AioOperations on;
        private final int listener;
        private final CountDownLatch all;
        final AtomicInteger accepted = new AtomicInteger();

        Acceptor(AioOperations on, int listener, CountDownLatch all) {
            this.on = on;
            this.listener = listener;
            this.all = all;
            on.accept(listener, null, this);
        }

        @Override
        public void completed(int result, Object attachment) {
            if (result < 0) {
                return;
            }
            accepted.incrementAndGet();
            on.close(result, null, (r, a) -> { });
            all.countDown();
            on.accept(listener, null, this);
        }
    }

    /** Connects {@link #CONNECTIONS} clients to {@code port} and waits until the acceptors have taken them all. */
    private static void connectAll(int port, CountDownLatch all) throws Exception {
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CONNECTIONS; i++) {
                clients.add(new Socket(LOOPBACK, port));
            }
            assertThat(all.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("every connection accepted").isTrue();
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    @Test
    @Timeout(60)
    void twoListenersOfOneInstanceWithReusePortShareThePortAndBothAccept() throws Exception {
        assumeReusePort();
        int first = listenOk(ops, anyPort(), AioListenOptions.reusePort());
        int port = port(ops, first);
        int second = listenOk(ops, new InetSocketAddress(LOOPBACK, port), AioListenOptions.reusePort());
        assertThat(port(ops, second)).isEqualTo(port);
        CountDownLatch all = new CountDownLatch(CONNECTIONS);
        Acceptor a = new Acceptor(ops, first, all);
        Acceptor b = new Acceptor(ops, second, all);
        connectAll(port, all);
        assertThat(a.accepted.get() + b.accepted.get()).isEqualTo(CONNECTIONS);
        assertThat(a.accepted.get()).as("connections on the first listener").isPositive();
        assertThat(b.accepted.get()).as("connections on the second listener").isPositive();
        assertThat(call(c -> ops.close(first, null, c))).isZero();
        assertThat(call(c -> ops.close(second, null, c))).isZero();
    }

    @Test
    @Timeout(60)
    void portZeroThenTheSamePortOnAnotherInstanceBothAccept() throws Exception {
        assumeReusePort();
        int first = listenOk(ops, anyPort(), AioListenOptions.reusePort());
        int port = port(ops, first);
        try (AioOperations other = provider().open(config())) {
            int second = listenOk(other, new InetSocketAddress(LOOPBACK, port), AioListenOptions.reusePort());
            CountDownLatch all = new CountDownLatch(CONNECTIONS);
            Acceptor a = new Acceptor(ops, first, all);
            Acceptor b = new Acceptor(other, second, all);
            connectAll(port, all);
            assertThat(a.accepted.get()).as("connections on this instance").isPositive();
            assertThat(b.accepted.get()).as("connections on the other instance").isPositive();
            AioCompletionRecorder<Object> closed = new AioCompletionRecorder<>(other);
            other.close(second, null, closed);
            assertThat(closed.await()).isZero();
        }
    }

    @Test
    @Timeout(60)
    void listenOnEveryMemberOfAGroupSharesOnePortAndEveryMemberAccepts() throws Exception {
        assumeReusePort();
        try (AioGroup members = provider().openGroup(config(), 2)) {
            int[] handles = AioServers.listenOnEvery(members, anyPort(), 128, AioListenOptions.defaults())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(handles).hasSize(2);
            int port = port(members.member(0), handles[0]);
            assertThat(port(members.member(1), handles[1])).isEqualTo(port);
            CountDownLatch all = new CountDownLatch(CONNECTIONS);
            Acceptor a = new Acceptor(members.member(0), handles[0], all);
            Acceptor b = new Acceptor(members.member(1), handles[1], all);
            connectAll(port, all);
            assertThat(a.accepted.get()).as("connections on member 0").isPositive();
            assertThat(b.accepted.get()).as("connections on member 1").isPositive();

            int plain = listenOk(ops, anyPort(), AioListenOptions.defaults());
            InetSocketAddress taken = new InetSocketAddress(LOOPBACK, port(ops, plain));
            assertThatThrownBy(() -> AioServers.listenOnEvery(members, taken, 128, AioListenOptions.defaults())
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(AioException.class)
                    .satisfies(e -> assertThat(((AioException) e.getCause()).errno()).isEqualTo(AioErrno.EADDRINUSE));
        }
    }

    @Test
    @Timeout(60)
    void withoutReusePortOnEitherSideTheSecondBindFailsWithAddressInUse() throws Exception {
        int plain = listenOk(ops, anyPort(), AioListenOptions.defaults());
        InetSocketAddress taken = new InetSocketAddress(LOOPBACK, port(ops, plain));
        assertThat(listen(ops, taken, AioListenOptions.defaults())).as("a second plain listen")
                .isEqualTo(-AioErrno.EADDRINUSE);
        if (ops.supports(AioCapability.REUSE_PORT)) {
            assertThat(listen(ops, taken, AioListenOptions.reusePort())).as("SO_REUSEPORT on the second alone")
                    .isEqualTo(-AioErrno.EADDRINUSE);
            int shared = listenOk(ops, anyPort(), AioListenOptions.reusePort());
            InetSocketAddress sharedAddress = new InetSocketAddress(LOOPBACK, port(ops, shared));
            assertThat(listen(ops, sharedAddress, AioListenOptions.defaults())).as("SO_REUSEPORT on the first alone")
                    .isEqualTo(-AioErrno.EADDRINUSE);
            assertThat(listen(ops, sharedAddress, AioListenOptions.reusePort().with(SO_REUSEPORT, 0)))
                    .as("SO_REUSEPORT set to 0").isEqualTo(-AioErrno.EADDRINUSE);
        }
    }

    @Test
    @Timeout(60)
    void reusePortWithoutTheCapabilityCompletesWithEopnotsupp() {
        assumeTrue(!ops.supports(AioCapability.REUSE_PORT), "the adapter offers REUSE_PORT");
        assertThat(listen(ops, anyPort(), AioListenOptions.reusePort())).isEqualTo(-AioErrno.EOPNOTSUPP);
    }

    @Test
    @Timeout(60)
    void theOptionsReachTheListener() throws Exception {
        assumeTrue(ops.supports(AioCapability.LISTENER_SOCKET_OPTIONS), "no options on listeners here");
        int plain = listenOk(ops, anyPort(), AioListenOptions.defaults());
        assertThat(ops.socketOption(plain, SO_REUSEADDR)).as("a TCP listener's default").isEqualTo(1);
        assertThat(ops.socketOption(plain, SO_REUSEPORT)).isZero();
        int set = listenOk(ops, anyPort(), AioListenOptions.reusePort().with(SO_REUSEADDR, 0));
        assertThat(ops.socketOption(set, SO_REUSEADDR)).as("turned off before the bind").isZero();
        assertThat(ops.socketOption(set, SO_REUSEPORT)).isEqualTo(1);
    }

    @Test
    @Timeout(60)
    void acceptedConnectionsInheritTheKeepAliveTimersAndTheReceiveBuffer() throws Exception {
        AioListenOptions options = AioListenOptions.defaults().with(TCP_KEEPIDLE, 77).with(TCP_KEEPCNT, 4)
                .with(SO_RCVBUF, 8192);
        int listener = listenOk(ops, anyPort(), options);
        AioCompletionRecorder<Object> accepted = recorder();
        ops.accept(listener, null, accepted);
        try (Socket client = new Socket(LOOPBACK, port(ops, listener))) {
            int connection = accepted.await();
            assertThat(connection).as("accept: %s", AioCompletionRecorder.describe(connection))
                    .isGreaterThanOrEqualTo(0);
            assertThat(client.isConnected()).isTrue();
            assertThat(ops.socketOption(connection, TCP_KEEPIDLE)).isEqualTo(77);
            assertThat(ops.socketOption(connection, TCP_KEEPCNT)).isEqualTo(4);
            // Linux doubles what was set; the default (tcp_rmem) is far larger than 32 KiB.
            assertThat(ops.socketOption(connection, SO_RCVBUF)).isBetween(8192, 32 * 1024);
        }
    }

    @Test
    @Timeout(60)
    void optionsThatDoNotApplyToAUnixSocketCompleteWithEopnotsupp() throws Exception {
        UnixDomainSocketAddress refused = UnixDomainSocketAddress.of(tempDir.resolve("refused.sock"));
        assertThat(listen(ops, refused, AioListenOptions.reusePort())).isEqualTo(-AioErrno.EOPNOTSUPP);
        assertThat(listen(ops, refused, AioListenOptions.defaults().with(TCP_KEEPIDLE, 30)))
                .isEqualTo(-AioErrno.EOPNOTSUPP);
        assertThat(java.nio.file.Files.exists(refused.getPath())).as("no socket file left").isFalse();
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(tempDir.resolve("rcvbuf.sock"));
        int listener = listenOk(ops, path, AioListenOptions.defaults().with(SO_RCVBUF, 16 * 1024));
        assertThat(call(c -> ops.close(listener, null, c))).isZero();
    }

    @Test
    @Timeout(60)
    void misuseThrowsAtOnce() {
        AioListenOptions defaults = AioListenOptions.defaults();
        assertThatThrownBy(() -> defaults.with(TCP_NODELAY, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("TCP_NODELAY");
        assertThatThrownBy(() -> defaults.with(AioSocketOption.SO_LINGER, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.with(SO_REUSEPORT, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.with(TCP_KEEPIDLE, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> defaults.with(null, 1)).isInstanceOf(NullPointerException.class);
        AioCompletionRecorder<Object> never = recorder();
        assertThatThrownBy(() -> ops.listen(anyPort(), 16, null, null, never))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.listen(anyPort(), 0, defaults, null, never))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ops.listen(null, 16, defaults, null, never))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> ops.listen(anyPort(), 16, defaults, null, null))
                .isInstanceOf(NullPointerException.class);
        assertThat(never.calls()).isZero();
    }
}
