package dev.aioops.nio2;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AcceptPendingException;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.AsynchronousServerSocketChannel;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.NotYetBoundException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.WritePendingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What the {@code java.nio.channels} javadoc specifies for {@link AsynchronousSocketChannel} and
 * {@link AsynchronousServerSocketChannel}, over real loopback connections. One subclass per implementation: the
 * JDK's own and aioops's on each adapter, so that a difference between them fails here.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SocketChannelBehaviour {

    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    ChannelsUnderTest impl;
    private AsynchronousServerSocketChannel server;
    AsynchronousSocketChannel client;
    AsynchronousSocketChannel peer;

    /** The implementation under test, once per class; the subclass skips the class when it is unavailable. */
    abstract ChannelsUnderTest.Backend backend();

    private ChannelsUnderTest.Backend backend;

    @BeforeAll
    void openBackend() {
        backend = backend();
    }

    @AfterAll
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        impl = backend.session();
    }

    @AfterEach
    void tearDown() throws Exception {
        for (var c : new java.nio.channels.Channel[]{client, peer, server}) {
            if (c != null) {
                c.close();
            }
        }
        impl.close();
    }

    private AsynchronousServerSocketChannel listen() throws IOException {
        server = AsynchronousServerSocketChannel.open(impl.group()).bind(new InetSocketAddress(LOOPBACK, 0));
        return server;
    }

    /** Connects {@link #client} to {@link #peer} through a listener, in the future forms. */
    void connect() throws Exception {
        listen();
        Future<AsynchronousSocketChannel> accepted = server.accept();
        client = AsynchronousSocketChannel.open(impl.group());
        assertThat(client.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS)).isNull();
        peer = accepted.get(10, TimeUnit.SECONDS);
    }

    @Test
    void handlersRunOnTheGroupsThreadsForConnectAcceptWriteAndRead() throws Exception {
        listen();
        Outcome<AsynchronousSocketChannel> accepted = new Outcome<>(impl);
        server.accept("accept", accepted);
        client = AsynchronousSocketChannel.open(impl.group());
        Outcome<Void> connected = new Outcome<>(impl);
        client.connect(server.getLocalAddress(), "connect", connected);
        assertThat(connected.value()).isNull();
        peer = accepted.value();
        Outcome<Integer> wrote = new Outcome<>(impl);
        client.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)), "write", wrote);
        assertThat(wrote.value()).isEqualTo(5);
        ByteBuffer in = ByteBuffer.allocate(16);
        Outcome<Integer> read = new Outcome<>(impl);
        peer.read(in, "read", read);
        assertThat(read.value()).isEqualTo(5);
        assertThat(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        for (Outcome<?> o : new Outcome<?>[]{accepted, connected, wrote, read}) {
            assertThat(o.ranOnHandlerThread()).as("handler on a group thread").isTrue();
        }
        assertThat(read.attachment()).isEqualTo("read");
    }

    @Test
    void futureFormsMoveDirectBuffersAndAdvancePositions() throws Exception {
        connect();
        ByteBuffer out = ByteBuffer.allocateDirect(8).putLong(42L).flip();
        assertThat(client.write(out).get(10, TimeUnit.SECONDS)).isEqualTo(8);
        assertThat(out.hasRemaining()).isFalse();
        ByteBuffer in = ByteBuffer.allocateDirect(8);
        int n = 0;
        while (n < 8) {
            n += peer.read(in).get(10, TimeUnit.SECONDS);
        }
        assertThat(in.flip().getLong()).isEqualTo(42L);
    }

    @Test
    void aSecondReadWhileOneIsPendingThrowsReadPendingException() throws Exception {
        connect();
        Future<Integer> pending = peer.read(ByteBuffer.allocate(8));
        assertThatThrownBy(() -> peer.read(ByteBuffer.allocate(8))).isInstanceOf(ReadPendingException.class);
        client.write(ByteBuffer.wrap(new byte[]{7})).get(10, TimeUnit.SECONDS);
        assertThat(pending.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void aSecondWriteWhileOneIsPendingThrowsWritePendingExceptionAndCloseFailsItAsynchronously() throws Exception {
        connect();
        Future<Integer> pending = writeUntilPending(client);
        assertThatThrownBy(() -> client.write(ByteBuffer.allocate(8))).isInstanceOf(WritePendingException.class);
        client.close();
        assertThatThrownBy(() -> pending.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(AsynchronousCloseException.class);
    }

    @Test
    void closeFailsAPendingReadWithAsynchronousCloseExceptionOnAGroupThread() throws Exception {
        connect();
        Outcome<Integer> read = new Outcome<>(impl);
        peer.read(ByteBuffer.allocate(8), null, read);
        peer.close();
        assertThat(read.failure()).isInstanceOf(AsynchronousCloseException.class);
        assertThat(read.ranOnHandlerThread()).isTrue();
        assertThat(peer.isOpen()).isFalse();
    }

    @Test
    void closeFailsAPendingAcceptWithAsynchronousCloseException() throws Exception {
        listen();
        Outcome<AsynchronousSocketChannel> accepted = new Outcome<>(impl);
        server.accept(null, accepted);
        assertThatThrownBy(() -> server.accept(null, new Outcome<>(impl)))
                .isInstanceOf(AcceptPendingException.class);
        server.close();
        assertThat(accepted.failure()).isInstanceOf(AsynchronousCloseException.class);
    }

    @Test
    void operationsOnAClosedChannelFailWithClosedChannelException() throws Exception {
        connect();
        peer.close();
        Outcome<Integer> read = new Outcome<>(impl);
        peer.read(ByteBuffer.allocate(8), null, read);
        assertThat(read.failure()).isInstanceOf(ClosedChannelException.class);
        assertThat(read.ranOnHandlerThread()).isTrue();
        assertThatThrownBy(() -> peer.write(ByteBuffer.allocate(8)).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(peer::getLocalAddress).isInstanceOf(ClosedChannelException.class);
        assertThatThrownBy(peer::getRemoteAddress).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void aReadTimeoutFailsWithInterruptedByTimeoutExceptionAndLeavesReadingRefused() throws Exception {
        connect();
        Outcome<Integer> read = new Outcome<>(impl);
        peer.read(ByteBuffer.allocate(8), 100, TimeUnit.MILLISECONDS, null, read);
        assertThat(read.failure()).isInstanceOf(InterruptedByTimeoutException.class);
        assertThat(read.ranOnHandlerThread()).isTrue();
        assertThatThrownBy(() -> peer.read(ByteBuffer.allocate(8))).isInstanceOf(IllegalStateException.class);
        // Writing is not affected.
        assertThat(peer.write(ByteBuffer.wrap(new byte[]{1})).get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void aWriteTimeoutFailsWithInterruptedByTimeoutExceptionAndLeavesWritingRefused() throws Exception {
        connect();
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        Throwable timedOut = null;
        for (int i = 0; i < 1000 && timedOut == null; i++) {
            Outcome<Integer> wrote = new Outcome<>(impl);
            client.write(chunk.clear(), 200, TimeUnit.MILLISECONDS, null, wrote);
            try {
                wrote.value();
            } catch (ExecutionException e) {
                timedOut = e.getCause();
            }
        }
        assertThat(timedOut).isInstanceOf(InterruptedByTimeoutException.class);
        assertThatThrownBy(() -> client.write(ByteBuffer.allocate(1))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void endOfStreamReadsAsMinusOneAfterThePeerShutsDownOutput() throws Exception {
        connect();
        client.write(ByteBuffer.wrap(new byte[]{1, 2})).get(10, TimeUnit.SECONDS);
        client.shutdownOutput();
        ByteBuffer in = ByteBuffer.allocate(8);
        int total = 0;
        int n;
        while ((n = peer.read(in).get(10, TimeUnit.SECONDS)) > 0) {
            total += n;
        }
        assertThat(n).isEqualTo(-1);
        assertThat(total).isEqualTo(2);
        // Writing after shutdownOutput fails with ClosedChannelException; the peer can still write back.
        assertThatThrownBy(() -> client.write(ByteBuffer.allocate(1)).get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ClosedChannelException.class);
        assertThat(peer.write(ByteBuffer.wrap(new byte[]{3})).get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(client.read(ByteBuffer.allocate(1)).get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void readAfterShutdownInputCompletesWithMinusOneAndAnEmptyBufferWithZero() throws Exception {
        connect();
        assertThat(peer.read(ByteBuffer.allocate(0)).get(10, TimeUnit.SECONDS)).isEqualTo(0);
        peer.shutdownInput();
        assertThat(peer.read(ByteBuffer.allocate(8)).get(10, TimeUnit.SECONDS)).isEqualTo(-1);
    }

    @Test
    void scatteringReadAndGatheringWriteOfHeapAndDirectBuffers() throws Exception {
        connect();
        ByteBuffer[] out = {ByteBuffer.wrap(new byte[]{1, 2, 3}), ByteBuffer.allocateDirect(2).put((byte) 4)
                .put((byte) 5).flip(), ByteBuffer.wrap(new byte[]{6})};
        Outcome<Long> wrote = new Outcome<>(impl);
        client.write(out, 0, 3, 0, TimeUnit.SECONDS, null, wrote);
        assertThat(wrote.value()).isEqualTo(6L);
        for (ByteBuffer b : out) {
            assertThat(b.hasRemaining()).isFalse();
        }
        for (boolean direct : new boolean[]{true, false}) {
            ByteBuffer a = direct ? ByteBuffer.allocateDirect(2) : ByteBuffer.allocate(2);
            ByteBuffer b = direct ? ByteBuffer.allocateDirect(1) : ByteBuffer.allocate(1);
            long got = 0;
            while (got < 3) {
                Outcome<Long> read = new Outcome<>(impl);
                peer.read(new ByteBuffer[]{a, b}, 0, 2, 0, TimeUnit.SECONDS, null, read);
                got += read.value();
            }
            assertThat(new byte[]{a.get(0), a.get(1), b.get(0)})
                    .isEqualTo(direct ? new byte[]{1, 2, 3} : new byte[]{4, 5, 6});
            assertThat(a.position() + b.position()).isEqualTo(3);
        }
    }

    @Test
    void megabytesOfHeapBuffersArriveIntactThroughShortReadsAndWrites() throws Exception {
        connect();
        byte[] data = new byte[3 << 20];
        new java.util.Random(16).nextBytes(data);
        Future<?> writing = java.util.concurrent.CompletableFuture.runAsync(() -> {
            ByteBuffer out = ByteBuffer.wrap(data);
            try {
                while (out.hasRemaining()) {
                    client.write(out).get(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ByteBuffer in = ByteBuffer.allocate(data.length);
        ByteBuffer chunk = ByteBuffer.allocate(100_000);
        while (in.hasRemaining()) {
            int n = peer.read(chunk.clear()).get(10, TimeUnit.SECONDS);
            assertThat(n).isPositive();
            in.put(chunk.flip());
        }
        writing.get(10, TimeUnit.SECONDS);
        assertThat(in.array()).isEqualTo(data);
    }

    @Test
    void socketOptionsAndAddressesAreThoseOfTheConnection() throws Exception {
        client = AsynchronousSocketChannel.open(impl.group());
        assertThat(client.getRemoteAddress()).isNull();
        assertThat(client.getOption(StandardSocketOptions.TCP_NODELAY)).isFalse();
        client.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        assertThatThrownBy(() -> client.getOption(StandardSocketOptions.SO_LINGER))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> client.setOption(StandardSocketOptions.SO_RCVBUF, -1))
                .isInstanceOf(IllegalArgumentException.class);
        listen();
        assertThat(server.getOption(StandardSocketOptions.SO_REUSEADDR)).isTrue();
        Future<AsynchronousSocketChannel> accepted = server.accept();
        client.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
        peer = accepted.get(10, TimeUnit.SECONDS);
        assertThat(client.getOption(StandardSocketOptions.SO_KEEPALIVE)).isTrue();
        assertThat(client.getOption(StandardSocketOptions.TCP_NODELAY)).isFalse();
        assertThat(peer.getOption(StandardSocketOptions.TCP_NODELAY)).isFalse();
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        assertThat(client.getOption(StandardSocketOptions.TCP_NODELAY)).isTrue();
        client.setOption(StandardSocketOptions.SO_SNDBUF, 65536);
        assertThat(client.getOption(StandardSocketOptions.SO_SNDBUF)).isGreaterThanOrEqualTo(65536);
        assertThat(client.getRemoteAddress()).isEqualTo(server.getLocalAddress());
        assertThat(peer.getRemoteAddress()).isEqualTo(client.getLocalAddress());
        assertThat(((InetSocketAddress) client.getLocalAddress()).getPort()).isPositive();
    }

    @Test
    void soReusePortSetBeforeBindLetsTwoServerChannelsShareAPort() throws Exception {
        assumeTrue(impl.reusesPort(), "this adapter has no SO_REUSEPORT (AioCapability.REUSE_PORT)");
        server = AsynchronousServerSocketChannel.open(impl.group());
        server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        server.bind(new InetSocketAddress(LOOPBACK, 0));
        try (AsynchronousServerSocketChannel second = AsynchronousServerSocketChannel.open(impl.group())) {
            second.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            second.bind(server.getLocalAddress());
            assertThat(second.getLocalAddress()).isEqualTo(server.getLocalAddress());
        }
        try (AsynchronousServerSocketChannel third = AsynchronousServerSocketChannel.open(impl.group())) {
            assertThatThrownBy(() -> third.bind(server.getLocalAddress())).isInstanceOf(java.net.BindException.class);
        }
    }

    @Test
    void misuseThrowsAtOnce() throws Exception {
        client = AsynchronousSocketChannel.open(impl.group());
        assertThatThrownBy(() -> client.read(ByteBuffer.allocate(1))).isInstanceOf(NotYetConnectedException.class);
        assertThatThrownBy(() -> client.write(ByteBuffer.allocate(1))).isInstanceOf(NotYetConnectedException.class);
        assertThatThrownBy(client::shutdownOutput).isInstanceOf(NotYetConnectedException.class);
        server = AsynchronousServerSocketChannel.open(impl.group());
        assertThatThrownBy(() -> server.accept()).isInstanceOf(NotYetBoundException.class);
        server.close();
        connect();
        assertThatThrownBy(() -> client.connect(server.getLocalAddress()))
                .isInstanceOf(AlreadyConnectedException.class);
        assertThatThrownBy(() -> client.bind(null)).isInstanceOf(java.nio.channels.AlreadyBoundException.class);
        assertThatThrownBy(() -> peer.read(ByteBuffer.allocate(1).asReadOnlyBuffer()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRefusedConnectFailsWithConnectExceptionAndClosesTheChannel() throws Exception {
        int port;
        try (var probe = java.nio.channels.ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        client = AsynchronousSocketChannel.open(impl.group());
        Outcome<Void> connected = new Outcome<>(impl);
        client.connect(new InetSocketAddress(LOOPBACK, port), null, connected);
        assertThat(connected.failure()).isInstanceOf(ConnectException.class);
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void cancellingAReadFutureRefusesFurtherReadsAndWithInterruptClosesTheChannel() throws Exception {
        connect();
        Future<Integer> read = peer.read(ByteBuffer.allocate(8));
        assertThat(read.cancel(false)).isTrue();
        assertThat(read.isCancelled()).isTrue();
        assertThatThrownBy(() -> peer.read(ByteBuffer.allocate(8))).isInstanceOf(IllegalStateException.class);
        Future<Integer> other = client.read(ByteBuffer.allocate(8));
        assertThat(other.cancel(true)).isTrue();
        assertThat(client.isOpen()).isFalse();
    }

    @Test
    void shutdownNowClosesTheGroupsChannelsAndTheGroupTerminates() throws Exception {
        connect();
        Outcome<AsynchronousSocketChannel> accepted = new Outcome<>(impl);
        server.accept(null, accepted);
        impl.group().shutdownNow();
        assertThat(accepted.failure()).isInstanceOf(AsynchronousCloseException.class);
        assertThat(impl.group().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        assertThat(impl.group().isTerminated()).isTrue();
        assertThat(client.isOpen()).isFalse();
        assertThat(peer.isOpen()).isFalse();
        assertThatThrownBy(() -> AsynchronousSocketChannel.open(impl.group()))
                .isInstanceOf(java.nio.channels.ShutdownChannelGroupException.class);
    }

    @Test
    void shutdownLetsOpenChannelsWorkAndTerminatesWhenTheLastCloses() throws Exception {
        connect();
        impl.group().shutdown();
        assertThat(impl.group().isShutdown()).isTrue();
        assertThat(impl.group().isTerminated()).isFalse();
        assertThat(client.write(ByteBuffer.wrap(new byte[]{9})).get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(peer.read(ByteBuffer.allocate(1)).get(10, TimeUnit.SECONDS)).isEqualTo(1);
        client.close();
        peer.close();
        server.close();
        assertThat(impl.group().awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aHundredConnectionsEchoHeapBuffersThroughHandlersAtOnce() throws Exception {
        listen();
        int connections = 100;
        int rounds = 20;
        server.accept(null, new java.nio.channels.CompletionHandler<AsynchronousSocketChannel, Object>() {
            @Override
            public void completed(AsynchronousSocketChannel ch, Object att) {
                server.accept(null, this);
                echo(ch, ByteBuffer.allocate(700));
            }

            @Override
            public void failed(Throwable exc, Object att) {
                // the listener closed at the end of the test
            }
        });
        List<AsynchronousSocketChannel> clients = new ArrayList<>();
        List<CompletableFuture<Void>> done = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                AsynchronousSocketChannel ch = AsynchronousSocketChannel.open(impl.group());
                clients.add(ch);
                ch.connect(server.getLocalAddress()).get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < connections; i++) {
                byte[] message = new byte[1000];
                java.util.Arrays.fill(message, (byte) i);
                CompletableFuture<Void> f = new CompletableFuture<>();
                done.add(f);
                new PingClient(clients.get(i), message, rounds, f).send();
            }
            for (CompletableFuture<Void> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            for (AsynchronousSocketChannel ch : clients) {
                ch.close();
            }
        }
    }

    /** Echoes what {@code ch} reads, with handlers only, until end of stream. */
    private static void echo(AsynchronousSocketChannel ch, ByteBuffer buffer) {
        ch.read(buffer.clear(), null, new java.nio.channels.CompletionHandler<Integer, Object>() {
            @Override
            public void completed(Integer n, Object att) {
                if (n < 0) {
                    failed(null, att);
                    return;
                }
                buffer.flip();
                java.nio.channels.CompletionHandler<Integer, Object> reader = this;
                ch.write(buffer, null, new java.nio.channels.CompletionHandler<Integer, Object>() {
                    @Override
                    public void completed(Integer w, Object a) {
                        if (buffer.hasRemaining()) {
                            ch.write(buffer, null, this);
                        } else {
                            ch.read(buffer.clear(), null, reader);
                        }
                    }

                    @Override
                    public void failed(Throwable exc, Object a) {
                        reader.failed(exc, a);
                    }
                });
            }

            @Override
            public void failed(Throwable exc, Object att) {
                try {
                    ch.close();
                } catch (IOException ignored) {
                    // closing is all that is left to do
                }
            }
        });
    }

    /**
     * Sends {@code message} {@code rounds} times, each after its whole echo came back and matched and its write's
     * handler ran: the echo can be back before that handler has run on another group thread, and a new write then
     * would throw {@code WritePendingException}.
     */
    private record PingClient(AsynchronousSocketChannel ch, byte[] message, int rounds, CompletableFuture<Void> done) {

        void send() {
            ByteBuffer out = ByteBuffer.wrap(message);
            ByteBuffer in = ByteBuffer.allocate(message.length);
            round(out, in, 0);
        }

        private void round(ByteBuffer out, ByteBuffer in, int round) {
            if (round == rounds) {
                done.complete(null);
                return;
            }
            java.util.concurrent.atomic.AtomicInteger halves = new java.util.concurrent.atomic.AtomicInteger();
            Runnable halfDone = () -> {
                if (halves.incrementAndGet() == 2) {
                    round(out, in, round + 1);
                }
            };
            ch.write(out.clear(), null, new java.nio.channels.CompletionHandler<Integer, Object>() {
                @Override
                public void completed(Integer n, Object att) {
                    if (out.hasRemaining()) {
                        ch.write(out, null, this);
                    } else {
                        halfDone.run();
                    }
                }

                @Override
                public void failed(Throwable exc, Object att) {
                    done.completeExceptionally(exc);
                }
            });
            ch.read(in.clear(), null, new java.nio.channels.CompletionHandler<Integer, Object>() {
                @Override
                public void completed(Integer n, Object att) {
                    if (n < 0) {
                        done.completeExceptionally(new IOException("echo ended early"));
                    } else if (in.hasRemaining()) {
                        ch.read(in, null, this);
                    } else if (!java.util.Arrays.equals(in.array(), message)) {
                        done.completeExceptionally(new AssertionError("echo differs in round " + round));
                    } else {
                        halfDone.run();
                    }
                }

                @Override
                public void failed(Throwable exc, Object att) {
                    done.completeExceptionally(exc);
                }
            });
        }
    }

    /** Writes 1 MiB blocks until one stays pending, the peer not reading; returns that write's future. */
    static Future<Integer> writeUntilPending(AsynchronousSocketChannel ch) throws Exception {
        ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
        for (int i = 0; i < 1000; i++) {
            Future<Integer> f = ch.write(chunk.clear());
            try {
                f.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillPending) {
                return f;
            }
        }
        throw new AssertionError("1000 MiB were written to a peer that reads nothing");
    }
}
