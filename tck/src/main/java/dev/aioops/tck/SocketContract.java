package dev.aioops.tck;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioTransfers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCP sockets: listen, accept, connect, stream transfers, end of stream, resets and refusals, interplay with
 * plain JDK sockets.
 */
public abstract class SocketContract extends AioContract {

    /** For subclasses. */
    protected SocketContract() {
    }

    @Test
    @Timeout(60)
    void listenOnPortZeroBindsAnEphemeralPort() {
        int l = listen();
        InetSocketAddress address = addressOf(l);
        assertThat(address.getPort()).isPositive();
        assertThat(address.getAddress()).isEqualTo(LOOPBACK);
    }

    @Test
    @Timeout(60)
    void connectAndAcceptGiveAConnectedPair() {
        int[] pair = connectedPair();
        assertThat(pair[0]).isNotEqualTo(pair[1]);
        assertThat(call(c -> ops.write(pair[0], bytes("ping"), AioOperations.STREAM, null, c))).isEqualTo(4);
        MemorySegment buf = arena.allocate(16);
        assertThat(call(c -> ops.read(pair[1], buf, AioOperations.STREAM, null, c))).isEqualTo(4);
        assertThat(text(buf, 4)).isEqualTo("ping");
    }

    @Test
    @Timeout(60)
    void acceptSubmittedBeforeTheClientConnectsCompletesWhenItDoes() throws IOException {
        int l = listen();
        AioCompletionRecorder<Object> accepted = recorder();
        ops.accept(l, null, accepted);
        try (Socket client = new Socket(LOOPBACK, addressOf(l).getPort())) {
            int server = accepted.await();
            assertThat(server).as(AioCompletionRecorder.describe(server)).isGreaterThanOrEqualTo(0);
            client.getOutputStream().write("hi".getBytes(StandardCharsets.UTF_8));
            MemorySegment buf = arena.allocate(2);
            assertThat(call(c -> AioTransfersHelper.readFully(ops, server, buf, c))).isEqualTo(2);
            assertThat(text(buf, 2)).isEqualTo("hi");
        }
    }

    @Test
    @Timeout(60)
    void pendingReadCompletesWhenDataArrives() throws IOException {
        int l = listen();
        try (Socket client = new Socket(LOOPBACK, addressOf(l).getPort())) {
            int server = call(c -> ops.accept(l, null, c));
            MemorySegment buf = arena.allocate(64);
            AioCompletionRecorder<Object> read = recorder();
            ops.read(server, buf, AioOperations.STREAM, null, read);
            client.getOutputStream().write("late data".getBytes(StandardCharsets.UTF_8));
            int n = read.await();
            assertThat(n).isBetween(1, 9);
            assertThat("late data").startsWith(text(buf, n));
        }
    }

    @Test
    @Timeout(60)
    void connectToAJdkServerAndWriteToIt() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            int h = call(c -> ops.connect(new InetSocketAddress(LOOPBACK, server.getLocalPort()), null, c));
            assertThat(h).as(AioCompletionRecorder.describe(h)).isGreaterThanOrEqualTo(0);
            try (Socket peer = server.accept()) {
                assertThat(call(c -> {
                    AioTransfers.writeFully(ops, h, bytes("from aioops"), AioOperations.STREAM, null, c);
                    return 1;
                })).isEqualTo(11);
                assertThat(call(c -> ops.close(h, null, c))).isZero();
                assertThat(new String(peer.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .isEqualTo("from aioops");
            }
        }
    }

    @Test
    @Timeout(120)
    void eightMebibytesEchoBothWaysIntact() {
        int size = 8 << 20;
        int[] pair = connectedPair();
        int client = pair[0];
        int server = pair[1];
        AtomicLong echoed = new AtomicLong();
        AioCompletionRecorder<Object> echoDone = recorder();
        new Echo(ops, server, arena.allocate(64 * 1024), echoed, echoDone).next();

        MemorySegment sent = pattern(size, 5);
        MemorySegment received = arena.allocate(size);
        AioCompletionRecorder<Object> wrote = recorder();
        AioCompletionRecorder<Object> read = recorder();
        AioTransfers.readFully(ops, client, received, AioOperations.STREAM, null, read);
        AioTransfers.writeFully(ops, client, sent, AioOperations.STREAM, null, wrote);
        assertThat(wrote.await()).isEqualTo(size);
        assertThat(read.await()).isEqualTo(size);
        assertThat(received.mismatch(sent)).as("first differing byte").isEqualTo(-1L);
        assertThat(call(c -> ops.close(client, null, c))).isZero();
        assertThat(echoDone.await()).isZero();
        assertThat(echoed.get()).isEqualTo(size);
    }

    @Test
    @Timeout(60)
    void readAfterThePeerClosedCompletesWithZero() {
        int[] pair = connectedPair();
        assertThat(call(c -> ops.close(pair[0], null, c))).isZero();
        assertThat(call(c -> ops.read(pair[1], arena.allocate(16), AioOperations.STREAM, null, c))).isZero();
        assertThat(call(c -> ops.read(pair[1], arena.allocate(16), AioOperations.STREAM, null, c))).isZero();
    }

    @Test
    @Timeout(60)
    void pendingReadCompletesWithZeroWhenThePeerCloses() throws IOException {
        int l = listen();
        Socket client = new Socket(LOOPBACK, addressOf(l).getPort());
        int server = call(c -> ops.accept(l, null, c));
        AioCompletionRecorder<Object> read = recorder();
        ops.read(server, arena.allocate(16), AioOperations.STREAM, null, read);
        client.close();
        assertThat(read.await()).isZero();
    }

    @Test
    @Timeout(60)
    void writeToAResetPeerGivesEpipeOrEconnreset() throws IOException {
        int l = listen();
        Socket client = new Socket(LOOPBACK, addressOf(l).getPort());
        int server = call(c -> ops.accept(l, null, c));
        client.setSoLinger(true, 0);
        client.close();
        MemorySegment chunk = pattern(64 * 1024, 1);
        AioCompletionRecorder<Object> failed = recorder();
        new WriteUntilError(ops, server, chunk, 10_000, failed).next();
        int result = failed.await();
        assertThat(result).as(AioCompletionRecorder.describe(result))
                .isIn(-AioErrno.EPIPE, -AioErrno.ECONNRESET);
    }

    @Test
    @Timeout(60)
    void connectToAClosedPortGivesEconnrefused() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            port = s.getLocalPort();
        }
        int result = call(c -> ops.connect(new InetSocketAddress(LOOPBACK, port), null, c));
        assertThat(result).as(AioCompletionRecorder.describe(result)).isEqualTo(-AioErrno.ECONNREFUSED);
    }

    @Test
    @Timeout(60)
    void listenOnAPortInUseGivesEaddrinuse() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, LOOPBACK)) {
            int result = call(c -> ops.listen(new InetSocketAddress(LOOPBACK, taken.getLocalPort()), 8, null, c));
            assertThat(result).as(AioCompletionRecorder.describe(result)).isEqualTo(-AioErrno.EADDRINUSE);
        }
    }

    @Test
    @Timeout(60)
    void manyConnectionsToOneListener() throws IOException {
        int l = listen();
        int count = 20;
        AioCompletionTally accepts = new AioCompletionTally(ops, count);
        for (int i = 0; i < count; i++) {
            ops.accept(l, i, accepts);
        }
        Socket[] clients = new Socket[count];
        try {
            for (int i = 0; i < count; i++) {
                clients[i] = new Socket(LOOPBACK, addressOf(l).getPort());
            }
            accepts.await();
            assertThat(accepts.duplicates()).isZero();
            java.util.Set<Integer> handles = new java.util.HashSet<>();
            for (int i = 0; i < count; i++) {
                assertThat(accepts.result(i)).isGreaterThanOrEqualTo(0);
                handles.add(accepts.result(i));
            }
            assertThat(handles).hasSize(count);
            for (int h : handles) {
                assertThat(call(c -> ops.write(h, bytes("!"), AioOperations.STREAM, null, c))).isEqualTo(1);
            }
            for (Socket s : clients) {
                InputStream in = s.getInputStream();
                assertThat(in.read()).isEqualTo('!');
            }
        } finally {
            for (Socket s : clients) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void dataWrittenByAJdkClientIsReadInOrder() throws IOException {
        int l = listen();
        try (Socket client = new Socket(LOOPBACK, addressOf(l).getPort())) {
            int server = call(c -> ops.accept(l, null, c));
            byte[] payload = new byte[256 * 1024];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = patternByte(i, 9);
            }
            MemorySegment buf = arena.allocate(payload.length);
            AioCompletionRecorder<Object> read = recorder();
            AioTransfers.readFully(ops, server, buf, AioOperations.STREAM, null, read);
            OutputStream out = client.getOutputStream();
            out.write(payload);
            out.flush();
            assertThat(read.await()).isEqualTo(payload.length);
            assertThat(buf.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)).isEqualTo(payload);
        }
    }

    /** Reads fully on a stream, as a one-liner for {@link #call}. */
    private static final class AioTransfersHelper {
        static long readFully(AioOperations ops, int handle, MemorySegment buf, AioCompletion<Object> c) {
            AioTransfers.readFully(ops, handle, buf, AioOperations.STREAM, null, c);
            return 1;
        }
    }

    /** An echo server on one connection: reads a chunk, writes it back fully, repeats until end of stream. */
    private static final class Echo implements AioCompletion<Object> {
        private final AioOperations ops;
        private final int handle;
        private final MemorySegment buffer;
        private final AtomicLong echoed;
        private final AioCompletion<Object> done;

        Echo(AioOperations ops, int handle, MemorySegment buffer, AtomicLong echoed, AioCompletion<Object> done) {
            this.ops = ops;
            this.handle = handle;
            this.buffer = buffer;
            this.echoed = echoed;
            this.done = done;
        }

        void next() {
            ops.read(handle, buffer, AioOperations.STREAM, null, this);
        }

        @Override
        public void completed(int result, Object attachment) {
            if (result <= 0) {
                done.completed(result, null);
                return;
            }
            echoed.addAndGet(result);
            AioTransfers.writeFully(ops, handle, buffer.asSlice(0, result), AioOperations.STREAM, null,
                    (written, ignored) -> {
                        if (written < 0) {
                            done.completed(written, null);
                        } else {
                            next();
                        }
                    });
        }
    }

    /** Writes a chunk again and again until a write fails or the limit is reached. */
    private static final class WriteUntilError implements AioCompletion<Object> {
        private final AioOperations ops;
        private final int handle;
        private final MemorySegment chunk;
        private final AioCompletion<Object> done;
        private int remaining;

        WriteUntilError(AioOperations ops, int handle, MemorySegment chunk, int limit, AioCompletion<Object> done) {
            this.ops = ops;
            this.handle = handle;
            this.chunk = chunk;
            this.remaining = limit;
            this.done = done;
        }

        void next() {
            ops.write(handle, chunk, AioOperations.STREAM, null, this);
        }

        @Override
        public void completed(int result, Object attachment) {
            if (result < 0 || --remaining == 0) {
                done.completed(result, null);
            } else {
                next();
            }
        }
    }
}
