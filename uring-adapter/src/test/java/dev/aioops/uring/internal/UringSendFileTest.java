package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The io_uring side of the zero-copy send ({@link RingSendFiles}): the pipes the loop owns are reused only when
 * empty (a pipe a cancel left holding bytes is closed, so those bytes never reach the next peer), are all closed
 * with the instance, and a send on the loop allocates nothing in the steady state.
 */
@Timeout(120)
class UringSendFileTest {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @TempDir
    Path dir;

    /**
     * The pipe descriptors this process holds, once they reach {@code expected} or 10 s have passed: a pipe the
     * cancel left dirty is closed when the last request on it comes back from the kernel, which may be a moment
     * after the send's completion.
     */
    private static long pipesSettleAt(long expected) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long now = pipes();
        while (now != expected && System.nanoTime() < end) {
            Thread.sleep(5);
            now = pipes();
        }
        return now;
    }

    /** The pipe descriptors this process holds. */
    private static long pipes() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith("pipe:");
                } catch (IOException gone) {
                    return false; // the listing's own descriptor, closed by now
                }
            }).count();
        }
    }

    private Path file(int size) throws IOException {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (i % 251);
        }
        Path path = dir.resolve("file-" + size);
        Files.write(path, bytes);
        return path;
    }

    private static int call(java.util.function.Consumer<AioCompletion<Object>> submit) {
        Results r = new Results();
        submit.accept(r);
        return r.await();
    }

    /** A socket handle of {@code ops} connected to a JDK socket. */
    private record Connection(int handle, Socket peer) {
    }

    private static Connection connect(UringAioOperations ops) throws IOException {
        int listener = call(c -> ops.listen(new InetSocketAddress(LOOPBACK, 0), 8, null, c));
        Socket peer = new Socket(LOOPBACK, ((InetSocketAddress) ops.localAddress(listener)).getPort());
        int handle = call(c -> ops.accept(listener, null, c));
        assertThat(handle).isPositive();
        assertThat(call(c -> ops.close(listener, null, c))).isZero();
        return new Connection(handle, peer);
    }

    /** Reads a socket to its end on a thread of its own; the future gives the bytes. */
    private static CompletableFuture<byte[]> drain(Socket socket) {
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (InputStream in = socket.getInputStream()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                in.transferTo(out);
                bytes.complete(out.toByteArray());
            } catch (Throwable t) {
                bytes.completeExceptionally(t);
            }
        });
        reader.setDaemon(true);
        reader.start();
        return bytes;
    }

    /**
     * Keeps one send per socket in flight until {@code operations} have completed; measures the loop thread's
     * allocation meanwhile (a stand-in for JMH's {@code -prof gc}). Loop-confined apart from {@link #allocated}.
     */
    private static final class SendChain implements AioCompletion<Integer> {
        final CompletableFuture<Long> allocated = new CompletableFuture<>();
        private final UringAioOperations ops;
        private final int file;
        private final Integer[] sockets;
        private final int operations;
        private final int chunk;
        private long start;
        private int started;
        private int done;
        private int failures;

        SendChain(UringAioOperations ops, int file, Integer[] sockets, int operations, int chunk) {
            this.ops = ops;
            this.file = file;
            this.sockets = sockets;
            this.operations = operations;
            this.chunk = chunk;
        }

        void begin() {
            start = THREADS.getCurrentThreadAllocatedBytes();
            for (Integer socket : sockets) {
                next(socket);
            }
        }

        private void next(Integer socket) {
            ops.sendFile(socket, file, (started++ % 1000) * (long) chunk, chunk, socket, this);
        }

        @Override
        public void completed(int result, Integer socket) {
            failures += result == chunk ? 0 : 1;
            if (++done == operations) {
                long bytes = THREADS.getCurrentThreadAllocatedBytes() - start;
                allocated.complete(failures == 0 ? bytes : -failures);
            } else if (started < operations) {
                next(socket);
            }
        }
    }

    @Test
    void aPipeACancelLeftHoldingBytesIsClosedAndTheNextPeerGetsOnlyItsOwnBytes() throws Exception {
        long before = pipes();
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults())) {
            Path big = file(64 << 20);
            int file = call(c -> ops.open(big, EnumSet.of(AioOpenOption.READ), null, c));
            Connection stuck = connect(ops);
            Results send = new Results();
            long token = ops.sendFile(stuck.handle(), file, 0, 64 << 20, null, send);
            while (stuck.peer().getInputStream().available() == 0) {
                Thread.onSpinWait();
            }
            // The peer reads nothing: the send waits in the socket splice, its pipe full.
            ops.cancel(token);
            assertThat(send.await()).isPositive().isLessThan(64 << 20);
            // Closed when the cancel left it holding bytes (it stopped the socket splice or its poll); kept, empty,
            // when it landed on a file splice (under load it may): either way no byte of it reaches the next peer.
            assertThat(pipesSettleAt(before)).as("no pipe but a clean one is kept").isIn(before, before + 2);

            Connection next = connect(ops);
            CompletableFuture<byte[]> got = drain(next.peer());
            assertThat(call(c -> ops.sendFile(next.handle(), file, 1000, 5000, null, c))).isEqualTo(5000);
            assertThat(call(c -> ops.close(next.handle(), null, c))).isZero();
            byte[] bytes = got.get(30, TimeUnit.SECONDS);
            assertThat(bytes).hasSize(5000);
            for (int i = 0; i < bytes.length; i++) {
                assertThat(bytes[i]).as("byte %d", i).isEqualTo((byte) ((1000 + i) % 251));
            }
            assertThat(pipes()).as("a clean pipe is kept for the next send").isEqualTo(before + 2);
            stuck.peer().close();
            next.peer().close();
        }
        assertThat(pipes()).as("the instance's close closes its pipes").isEqualTo(before);
    }

    @Test
    void sendsOnTheLoopAllocateNothing() throws Exception {
        int operations = 20_000;
        int chunk = 1024;
        try (UringAioOperations ops = UringAioOperations.open(AioConfig.defaults())) {
            Path small = file(1 << 20);
            int file = call(c -> ops.open(small, EnumSet.of(AioOpenOption.READ), null, c));
            List<Connection> connections = new ArrayList<>();
            Integer[] sockets = new Integer[8];
            for (int i = 0; i < sockets.length; i++) {
                Connection c = connect(ops);
                connections.add(c);
                drain(c.peer());
                sockets[i] = c.handle();
            }
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 10 && best >= 16_384; round++) {
                SendChain chain = new SendChain(ops, file, sockets, operations, chunk);
                ops.execute(chain::begin);
                long bytes = chain.allocated.get(60, TimeUnit.SECONDS);
                assertThat(bytes).as("sends that did not move their %d bytes", chunk).isNotNegative();
                if (round > 0) {
                    best = Math.min(best, bytes);
                }
            }
            assertThat(best).as("bytes allocated on the loop for %d sends", operations).isLessThan(16_384);
            for (Connection c : connections) {
                c.peer().close();
            }
        }
    }
}
