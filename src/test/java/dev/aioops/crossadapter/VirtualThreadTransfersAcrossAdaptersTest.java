package dev.aioops.crossadapter;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioStat;
import dev.aioops.vthreads.AioBlocking;
import dev.aioops.vthreads.AioIoExceptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.aioops.crossadapter.VirtualThreadCalls.closeOnVirtualThread;
import static dev.aioops.crossadapter.VirtualThreadCalls.connectedPair;
import static dev.aioops.crossadapter.VirtualThreadCalls.onVirtualThread;
import static dev.aioops.spi.AioOperations.STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The rest of the virtual-thread facade on every adapter, beside {@link VirtualThreadsAcrossAdaptersTest}: the
 * single writes (with and without a deadline), {@code sendFile}, {@code fstat}, {@code shutdown}, {@code call}, and
 * a write deadline on a peer that does not read. Every call is made on a virtual thread.
 */
@Timeout(60)
class VirtualThreadTransfersAcrossAdaptersTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    @TempDir
    Path dir;


    /** A connected pair {client, server}: accept on a virtual thread, connect on another. */
    private static byte[] bytes(MemorySegment segment, int length) {
        return segment.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE);
    }

    private static byte[] pattern(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void single_writes_sendFile_fstat_call_and_shutdown_reach_the_peer(AioProvider adapter) throws Exception {
        byte[] content = pattern(100_000);
        Path file = Files.write(dir.resolve("f"), content);
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            AioBlocking io = new AioBlocking(ops);
            int[] pair = connectedPair(io);
            MemorySegment out = arena.allocateFrom(ValueLayout.JAVA_BYTE, "abcdefgh".getBytes());
            MemorySegment in = arena.allocate(content.length);
            onVirtualThread(() -> {
                int n = io.write(pair[0], out.asSlice(0, 4), STREAM);
                assertThat(n).as("a 4-byte write on an idle socket").isEqualTo(4);
                assertThat(io.write(pair[0], out.asSlice(4, 4), STREAM, LONG)).isEqualTo(4);
                assertThat(io.readFully(pair[1], in.asSlice(0, 8), STREAM)).isEqualTo(8);
                assertThat(new String(bytes(in, 8))).isEqualTo("abcdefgh");

                int h = io.open(file);
                AioStat stat = io.fstat(h, AioStat.allocate(arena));
                assertThat(stat.size()).isEqualTo(content.length);
                assertThat(io.call("fsync", (a, c) -> ops.fsync(h, a, c))).isZero();
                // From offset 10 to past the end: stops where the file ends.
                long sent = io.sendFile(pair[0], h, 10, content.length);
                assertThat(sent).isEqualTo(content.length - 10);
                assertThat(io.readFully(pair[1], in.asSlice(0, sent), STREAM, LONG)).isEqualTo((int) sent);
                assertThat(bytes(in, (int) sent))
                        .isEqualTo(java.util.Arrays.copyOfRange(content, 10, content.length));
                io.close(h);

                io.shutdown(pair[0], AioShutdown.WRITE);
                assertThat(io.read(pair[1], in, STREAM)).as("end of stream after the peer's shutdown").isZero();
                // The other direction still works.
                assertThat(io.write(pair[1], out.asSlice(0, 2), STREAM)).isEqualTo(2);
                assertThat(io.readFully(pair[0], in.asSlice(0, 2), STREAM)).isEqualTo(2);
                io.close(pair[0]);
                io.close(pair[1]);
                return null;
            });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void a_write_deadline_on_a_peer_that_does_not_read_throws_with_the_bytes_written(AioProvider adapter)
            throws Exception {
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            AioBlocking io = new AioBlocking(ops);
            int[] pair = connectedPair(io);
            // Far more than loopback's socket buffers can hold: the transfer stalls until the deadline.
            MemorySegment big = arena.allocate(64L << 20);
            Throwable thrown = catchThrowable(() -> onVirtualThread(
                    () -> {
                        io.writeFully(pair[0], big, STREAM, Duration.ofMillis(300));
                        return null;
                    }));
            assertThat(thrown).isInstanceOf(SocketTimeoutException.class)
                    .satisfies(e -> assertThat(AioIoExceptions.errno(e)).isEqualTo(AioErrno.ETIMEDOUT));
            int transferred = ((SocketTimeoutException) thrown).bytesTransferred;
            assertThat(transferred).as("some bytes went before the stall").isPositive()
                    .isLessThan((int) big.byteSize());
            closeOnVirtualThread(io, pair[0], pair[1]);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.VirtualThreadAdapters#all")
    void a_file_written_with_single_writes_at_offsets_reads_back(AioProvider adapter) throws Exception {
        Path file = dir.resolve("g");
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            AioBlocking io = new AioBlocking(ops);
            byte[] expected = onVirtualThread(() -> {
                int h = io.open(file, AioOpenOption.WRITE, AioOpenOption.CREATE);
                MemorySegment block = arena.allocateFrom(ValueLayout.JAVA_BYTE, pattern(4096));
                // Written back to front, at offsets: positional writes, no stream position involved.
                for (int i = 3; i >= 0; i--) {
                    assertThat(io.write(h, block, i * 4096L, LONG)).isEqualTo(4096);
                }
                io.fsync(h);
                io.close(h);
                return pattern(4096);
            });
            byte[] onDisk = Files.readAllBytes(file);
            assertThat(onDisk).hasSize(4 * 4096);
            for (int i = 0; i < 4; i++) {
                assertThat(java.util.Arrays.copyOfRange(onDisk, i * 4096, (i + 1) * 4096)).isEqualTo(expected);
            }
        }
    }
}
