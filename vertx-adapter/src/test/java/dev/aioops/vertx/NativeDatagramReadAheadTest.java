package dev.aioops.vertx;

import dev.aioops.spi.AioConfig;
import dev.aioops.tck.AioCompletionRecorder;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.DatagramChannel;
import java.util.BitSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Vert.x-native mode reads datagrams off a socket only while a receive waits, one batch of Netty's at a time:
 * what it holds is bounded, and the kernel's socket buffer keeps the rest, nothing lost.
 */
class NativeDatagramReadAheadTest {

    private static final int DATAGRAMS = 50;
    private static final int SIZE = 1000;
    /** The most datagrams one read of Netty takes: DatagramHandle.READ_BATCH. */
    private static final int BATCH = 16;
    private static final ValueLayout.OfInt BIG_ENDIAN_INT =
            ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    @Test
    @Timeout(60)
    void whatIsReadAheadIsBoundedByOneBatchAndNothingIsLost() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (VertxAioOperations ops = (VertxAioOperations) new VertxAioProvider(Transport.NIO)
                .open(AioConfig.defaults()); Arena arena = Arena.ofShared();
             DatagramChannel sender = DatagramChannel.open()) {
            assertThat(ops.mode()).isEqualTo(VertxAioMode.NATIVE);
            AioCompletionRecorder<Object> opened = new AioCompletionRecorder<>(ops);
            ops.openDatagram(new InetSocketAddress(loopback, 0), null, null, opened);
            int socket = opened.await();
            InetSocketAddress target = (InetSocketAddress) ops.localAddress(socket);
            for (int i = 0; i < DATAGRAMS; i++) {
                ByteBuffer datagram = ByteBuffer.allocate(SIZE).putInt(0, i);
                sender.send(datagram, target);
            }
            MemorySegment in = arena.allocate(SIZE);
            BitSet seen = new BitSet();
            for (int i = 0; i < DATAGRAMS; i++) {
                AioCompletionRecorder<Object> received = new AioCompletionRecorder<>(ops);
                ops.receive(socket, in, null, 0, null, received);
                assertThat(received.await()).isEqualTo(SIZE);
                seen.set(in.get(BIG_ENDIAN_INT, 0));
                assertThat(ops.bufferedBytes()).as("read ahead after %d receives", i + 1)
                        .isLessThanOrEqualTo((long) (BATCH - 1) * SIZE);
            }
            assertThat(seen.cardinality()).isEqualTo(DATAGRAMS);
        }
    }
}
