package dev.aioops.examples.checksum;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mockito.invocation.InvocationOnMock;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** {@link ByteChecksummer} against a mocked {@link AioOperations}: the file and the stream are byte arrays. */
class ByteChecksummerTest {

    private static final int FILE = 7;
    private static final Path PATH = Path.of("data.bin");

    private final AioOperations ops = mock(AioOperations.class);
    /** Completions held back to run later, in an order the test picks; empty when they run at once. */
    private final List<Runnable> held = new ArrayList<>();
    private boolean holdCompletions;
    private final Random random = new Random(42);

    @SuppressWarnings("unchecked")
    private static <A> AioCompletion<Object> completionOf(InvocationOnMock call, int index) {
        return (AioCompletion<Object>) call.getArgument(index);
    }

    private void complete(InvocationOnMock call, int completionIndex, int result) {
        AioCompletion<Object> completion = completionOf(call, completionIndex);
        Object attachment = call.getArgument(completionIndex - 1);
        Runnable run = () -> completion.completed(result, attachment);
        if (holdCompletions) {
            held.add(run);
        } else {
            run.run();
        }
    }

    /** Runs held completions in random order (completions of one instance never overlap) until none is left. */
    private void drainShuffled() {
        while (!held.isEmpty()) {
            held.remove(random.nextInt(held.size())).run();
        }
    }

    private void fileOf(byte[] content, boolean shortReads) {
        when(ops.open(eq(PATH), any(), any(), any())).thenAnswer(call -> {
            complete(call, 3, FILE);
            return 1L;
        });
        when(ops.read(eq(FILE), any(), anyLong(), any(), any())).thenAnswer(call -> {
            MemorySegment buffer = call.getArgument(1);
            long offset = call.getArgument(2);
            int available = (int) Math.max(0, Math.min(buffer.byteSize(), content.length - offset));
            int n = shortReads && available > 1 ? 1 + random.nextInt(available) : available;
            MemorySegment.copy(content, (int) Math.min(offset, content.length), buffer, ValueLayout.JAVA_BYTE, 0, n);
            complete(call, 4, n);
            return 2L;
        });
        when(ops.close(eq(FILE), any(), any())).thenAnswer(call -> {
            complete(call, 2, 0);
            return 3L;
        });
    }

    private byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 4096, 4097, 100_000, 131_072})
    void sums_a_file_like_a_plain_loop_when_completions_run_before_read_returns(int size) throws Exception {
        byte[] content = randomBytes(size);
        fileOf(content, false);

        ByteSum sum = new ByteChecksummer(ops, 4096, 4).sumFile(PATH).get();

        assertThat(sum).isEqualTo(ByteSum.of(content));
        verify(ops, times(1)).close(eq(FILE), any(), any());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 65_537, 300_000})
    void sums_a_file_with_short_reads_completing_out_of_order(int size) throws Exception {
        byte[] content = randomBytes(size);
        fileOf(content, true);
        holdCompletions = true;

        CompletableFuture<ByteSum> result = new ByteChecksummer(ops, 8192, 4).sumFile(PATH);
        drainShuffled();

        assertThat(result).isCompletedWithValue(ByteSum.of(content));
        verify(ops, times(1)).close(eq(FILE), any(), any());
    }

    @Test
    void keeps_at_most_the_configured_number_of_reads_in_flight() {
        fileOf(randomBytes(100_000), false);
        holdCompletions = true;

        CompletableFuture<ByteSum> result = new ByteChecksummer(ops, 1000, 3).sumFile(PATH);
        held.removeFirst().run(); // the open

        assertThat(held).hasSize(3);
        drainShuffled();
        assertThat(result).isCompleted();
    }

    /**
     * A file read the way O_DIRECT reads it: every buffer, offset and length must be aligned; a read returns whole
     * 4 KiB pages (with {@code shortReads}, sometimes fewer than asked) except the file's last, short one.
     */
    private void directFileOf(byte[] content, boolean shortReads) {
        when(ops.open(eq(PATH), eq(EnumSet.of(AioOpenOption.READ, AioOpenOption.DIRECT)), any(), any()))
                .thenAnswer(call -> {
                    complete(call, 3, FILE);
                    return 1L;
                });
        int page = ByteChecksummer.DIRECT_ALIGNMENT;
        when(ops.read(eq(FILE), any(), anyLong(), any(), any())).thenAnswer(call -> {
            MemorySegment buffer = call.getArgument(1);
            long offset = call.getArgument(2);
            if (buffer.address() % page != 0 || buffer.byteSize() % page != 0 || offset % page != 0) {
                complete(call, 4, -AioErrno.EINVAL);
                return 2L;
            }
            int available = (int) Math.max(0, Math.min(buffer.byteSize(), content.length - offset));
            int n = available;
            if (shortReads && available > page) {
                n = page * (1 + random.nextInt(available / page)); // whole pages, possibly fewer than asked
            }
            MemorySegment.copy(content, (int) Math.min(offset, content.length), buffer, ValueLayout.JAVA_BYTE, 0, n);
            complete(call, 4, n);
            return 2L;
        });
        when(ops.close(eq(FILE), any(), any())).thenAnswer(call -> {
            complete(call, 2, 0);
            return 3L;
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4095, 4096, 4097, 32_768, 65_536 + 100, 300_000, 327_680})
    void sums_a_file_with_o_direct_keeping_every_read_aligned_and_stopping_at_the_short_tail(int size) {
        byte[] content = randomBytes(size);
        directFileOf(content, true);
        holdCompletions = true;

        CompletableFuture<ByteSum> result = new ByteChecksummer(ops, 32_768, 4).sumFileDirect(PATH);
        drainShuffled();

        assertThat(result).isCompletedWithValue(ByteSum.of(content));
        verify(ops, times(1)).close(eq(FILE), any(), any());
    }

    @Test
    void o_direct_needs_an_aligned_block_size() {
        ByteChecksummer unaligned = new ByteChecksummer(ops, 5000, 4);

        assertThatThrownBy(() -> unaligned.sumFileDirect(PATH)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("4096");
        verify(ops, never()).open(any(), any(), any(), any());
    }

    @ParameterizedTest
    @ValueSource(ints = {AioErrno.EOPNOTSUPP, AioErrno.EINVAL})
    void an_adapter_or_file_system_without_o_direct_fails_the_sum_with_its_errno(int errno) {
        when(ops.open(eq(PATH), any(), any(), any())).thenAnswer(call -> {
            complete(call, 3, -errno);
            return 1L;
        });

        CompletableFuture<ByteSum> result = new ByteChecksummer(ops).sumFileDirect(PATH);

        assertThatThrownBy(result::join).cause().isInstanceOf(AioException.class)
                .hasMessageContaining("O_DIRECT").hasMessageContaining("data.bin")
                .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(errno));
        verify(ops, never()).read(anyInt(), any(), anyLong(), any(), any());
    }

    @Test
    void an_open_failure_is_an_exception_naming_the_file_and_errno() {
        when(ops.open(eq(PATH), any(), any(), any())).thenAnswer(call -> {
            complete(call, 3, -AioErrno.ENOENT);
            return 1L;
        });

        CompletableFuture<ByteSum> result = new ByteChecksummer(ops).sumFile(PATH);

        assertThatThrownBy(result::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AioException.class)
                .hasMessageContaining("data.bin").hasMessageContaining("ENOENT");
        verify(ops, never()).read(anyInt(), any(), anyLong(), any(), any());
    }

    @Test
    void a_read_failure_stops_new_reads_closes_the_file_and_reports_the_errno() {
        fileOf(randomBytes(50_000), false);
        holdCompletions = true;
        CompletableFuture<ByteSum> result = new ByteChecksummer(ops, 1000, 2).sumFile(PATH);
        held.removeFirst().run(); // the open: two reads now pending
        when(ops.read(eq(FILE), any(), anyLong(), any(), any())).thenAnswer(call -> {
            complete(call, 4, -AioErrno.EIO);
            return 2L;
        });
        held.removeFirst().run(); // first block done: its next read fails with EIO

        drainShuffled();

        assertThat(result).isCompletedExceptionally();
        assertThatThrownBy(result::join).cause().isInstanceOf(AioException.class)
                .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(AioErrno.EIO));
        verify(ops, times(1)).close(eq(FILE), any(), any());
        verify(ops, times(3)).read(eq(FILE), any(), anyLong(), any(), any());
    }

    @Test
    void operations_closed_under_a_sum_fail_it_with_ecanceled() {
        when(ops.open(eq(PATH), any(), any(), any())).thenAnswer(call -> {
            complete(call, 3, FILE);
            return 1L;
        });
        when(ops.read(anyInt(), any(), anyLong(), any(), any())).thenThrow(new IllegalStateException("closed"));
        when(ops.close(anyInt(), any(), any())).thenThrow(new IllegalStateException("closed"));

        CompletableFuture<ByteSum> result = new ByteChecksummer(ops).sumFile(PATH);

        assertThatThrownBy(result::join).cause().isInstanceOf(AioException.class)
                .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(AioErrno.ECANCELED));
    }

    private void streamOf(int handle, List<byte[]> chunks, int endResult) {
        int[] next = {0};
        when(ops.read(eq(handle), any(), eq(AioOperations.STREAM), any(), any())).thenAnswer(call -> {
            MemorySegment buffer = call.getArgument(1);
            if (next[0] == chunks.size()) {
                complete(call, 4, endResult);
                return 2L;
            }
            byte[] chunk = chunks.get(next[0]++);
            assertThat((long) chunk.length).isLessThanOrEqualTo(buffer.byteSize());
            MemorySegment.copy(chunk, 0, buffer, ValueLayout.JAVA_BYTE, 0, chunk.length);
            complete(call, 4, chunk.length);
            return 2L;
        });
    }

    @Test
    void sums_a_stream_chunk_by_chunk_until_the_peer_closes_and_leaves_the_handle_open() {
        List<byte[]> chunks = List.of(randomBytes(10), randomBytes(1), randomBytes(4096), randomBytes(3));
        streamOf(5, chunks, 0);

        CompletableFuture<ByteSum> result = new ByteChecksummer(ops, 4096, 4).sumStream(5);

        ByteSum expected = chunks.stream().map(ByteSum::of).reduce(ByteSum.EMPTY, ByteSum::plus);
        assertThat(result).isCompletedWithValue(expected);
        verify(ops, never()).close(anyInt(), any(), any());
    }

    @Test
    void a_stream_reset_is_an_exception() {
        streamOf(5, List.of(randomBytes(100)), -AioErrno.ECONNRESET);

        CompletableFuture<ByteSum> result = new ByteChecksummer(ops).sumStream(5);

        assertThatThrownBy(result::join).cause().isInstanceOf(AioException.class).hasMessageContaining("ECONNRESET");
    }

    @Test
    void sums_a_connection_and_closes_it() {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 9);
        when(ops.connect(eq(address), any(), any())).thenAnswer(call -> {
            complete(call, 2, 11);
            return 1L;
        });
        byte[] data = randomBytes(5000);
        streamOf(11, List.of(data), 0);
        when(ops.close(eq(11), any(), any())).thenAnswer(call -> {
            complete(call, 2, 0);
            return 3L;
        });

        assertThat(new ByteChecksummer(ops, 8192, 1).sumConnection(address)).isCompletedWithValue(ByteSum.of(data));
        verify(ops).close(eq(11), any(), any());
    }

    @Test
    void a_connection_made_while_the_operations_close_fails_the_sum_instead_of_throwing_into_the_loop() {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 9);
        holdCompletions = true;
        when(ops.connect(eq(address), any(), any())).thenAnswer(call -> {
            complete(call, 2, 11);
            return 1L;
        });
        when(ops.read(anyInt(), any(), anyLong(), any(), any())).thenThrow(new IllegalStateException("closed"));
        when(ops.close(anyInt(), any(), any())).thenThrow(new IllegalStateException("closed"));
        CompletableFuture<ByteSum> result = new ByteChecksummer(ops).sumConnection(address);

        held.removeFirst().run(); // the connect completes during close: its real result wins

        assertThatThrownBy(result::join).cause().isInstanceOf(AioException.class).hasMessageContaining("ECANCELED");
    }

    @Test
    void a_refused_connection_is_an_exception() {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 9);
        when(ops.connect(eq(address), any(), any())).thenAnswer(call -> {
            complete(call, 2, -AioErrno.ECONNREFUSED);
            return 1L;
        });

        assertThatThrownBy(new ByteChecksummer(ops).sumConnection(address)::join).cause()
                .isInstanceOf(AioException.class).hasMessageContaining("ECONNREFUSED");
    }

    @Test
    void rejects_nonsense_settings() {
        assertThatThrownBy(() -> new ByteChecksummer(ops, 0, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ByteChecksummer(ops, 4096, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ByteChecksummer(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void the_word_at_a_time_sum_agrees_with_the_byte_loop() {
        for (int size = 0; size < 70; size++) {
            byte[] bytes = randomBytes(size);
            assertThat(ByteSum.sumOf(MemorySegment.ofArray(bytes), size)).isEqualTo(ByteSum.of(bytes).sum());
        }
        byte[] ones = new byte[4096];
        java.util.Arrays.fill(ones, (byte) 0xFF);
        assertThat(ByteSum.of(ones).sum()).isEqualTo(4096L * 255);
        assertThat(ByteSum.sumOf(MemorySegment.ofArray(ones), 4096)).isEqualTo(4096L * 255);
    }

    @Test
    void the_lane_sum_agrees_with_the_byte_loop_around_each_fold_of_its_lanes() {
        // The lanes are folded into the sum every 128 words (1 KiB): sizes on both sides of folds, all bytes
        // 0xFF (the largest a lane can take) and random.
        for (int size : new int[]{1016, 1023, 1024, 1025, 1031, 2047, 2048, 2049, 32 * 1024 + 3, 1 << 20}) {
            byte[] random = randomBytes(size);
            assertThat(ByteSum.sumOf(MemorySegment.ofArray(random), size)).isEqualTo(ByteSum.of(random).sum());
            byte[] ones = new byte[size];
            java.util.Arrays.fill(ones, (byte) 0xFF);
            assertThat(ByteSum.sumOf(MemorySegment.ofArray(ones), size)).isEqualTo(255L * size);
        }
    }
}
