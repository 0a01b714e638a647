package dev.aioops.vertx;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioTransfers;
import dev.aioops.tck.AioCompletionRecorder;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The Vert.x-native mode buffers a socket's unread data up to a bound, then pauses it: TCP pushes back. */
class NativeBackPressureTest {

    /** The socket's high-water mark (256 KiB) plus one read of Netty's at most, with room to spare. */
    private static final long BOUND = 256 * 1024 + 128 * 1024;

    @Test
    @Timeout(120)
    void anUnreadSocketIsPausedSoWhatItBuffersStaysBoundedAndNothingIsLost() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (VertxAioOperations ops = (VertxAioOperations) new VertxAioProvider(Transport.NIO)
                .open(AioConfig.defaults()); Arena arena = Arena.ofShared()) {
            assertThat(ops.mode()).isEqualTo(VertxAioMode.NATIVE);
            AioCompletionRecorder<Object> listened = new AioCompletionRecorder<>(ops);
            ops.listen(new InetSocketAddress(loopback, 0), 8, null, listened);
            int listener = listened.await();
            AioCompletionRecorder<Object> accepted = new AioCompletionRecorder<>(ops);
            ops.accept(listener, null, accepted);
            byte[] payload = new byte[32 << 20];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) (i * 31 + (i >>> 11));
            }
            int port = ((InetSocketAddress) ops.localAddress(listener)).getPort();
            try (Socket client = new Socket(loopback, port)) {
                int server = accepted.await();
                AtomicBoolean written = new AtomicBoolean();
                Thread writer = Thread.ofPlatform().start(() -> {
                    try {
                        OutputStream out = client.getOutputStream();
                        out.write(payload);
                        out.flush();
                        written.set(true);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                // Nobody reads for a while: watch what the adapter holds meanwhile.
                long most = 0;
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
                while (System.nanoTime() < until) {
                    most = Math.max(most, ops.bufferedBytes());
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                assertThat(most).as("bytes buffered while nobody read").isPositive().isLessThanOrEqualTo(BOUND);
                assertThat(written.get()).as("32 MiB went through without being read").isFalse();

                MemorySegment received = arena.allocate(payload.length);
                AioCompletionRecorder<Object> read = new AioCompletionRecorder<>(ops);
                AioTransfers.readFully(ops, server, received, AioOperations.STREAM, null, read);
                assertThat(read.await()).isEqualTo(payload.length);
                writer.join();
                assertThat(written.get()).isTrue();
                assertThat(received.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(payload);
                assertThat(ops.bufferedBytes()).isZero();
            }
        }
    }
}
