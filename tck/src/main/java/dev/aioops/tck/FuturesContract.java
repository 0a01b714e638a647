package dev.aioops.tck;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioFuture;
import dev.aioops.spi.AioFutures;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioStat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.aioops.spi.AioOperations.STREAM;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The futures bridge ({@link AioFutures}) on a real adapter: typed results, failures as {@link AioException}
 * with the errno, completion on the loop, transfers over short reads and writes, and {@code cancel} that cancels
 * the operation and leaves the handle usable.
 */
public abstract class FuturesContract extends AioContract {

    private static final long SECONDS = WAIT.toSeconds();

    /** For subclasses. */
    protected FuturesContract() {
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(SECONDS, TimeUnit.SECONDS);
    }

    /** Waits until a cancelled future's operation has given its buffer back. */
    private void awaitOperationDone(AioFuture<?> future) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!future.isOperationDone()) {
            assertThat(System.nanoTime()).as("operation of a cancelled future still pending").isLessThan(deadline);
            // A loop turn of the instance: the cancel was queued before this task.
            CompletableFuture<Void> turn = new CompletableFuture<>();
            ops.execute(() -> turn.complete(null));
            await(turn);
        }
    }

    @Test
    @Timeout(60)
    void a_file_round_trip_gives_typed_results() throws Exception {
        Path file = tempDir.resolve("data");
        int handle = await(AioFutures.open(ops, file, EnumSet.of(AioOpenOption.READ, AioOpenOption.WRITE,
                AioOpenOption.CREATE)));
        assertThat(handle).isNotNegative();

        AioFuture<Integer> written = AioFutures.writeFully(ops, handle, bytes("hello futures"), 0);
        assertThat(await(written)).isEqualTo(13);
        assertThat(written.isOperationDone()).isTrue();

        MemorySegment into = arena.allocate(64);
        MemorySegment read = await(AioFutures.read(ops, handle, into, 6));
        assertThat(text(read, (int) read.byteSize())).isEqualTo("futures");

        MemorySegment whole = await(AioFutures.readFully(ops, handle, arena.allocate(64), 0));
        assertThat(whole.byteSize()).as("a read past the end stops at the end").isEqualTo(13);
        assertThat(text(whole, 13)).isEqualTo("hello futures");

        AioStat stat = AioStat.allocate(arena);
        assertThat(await(AioFutures.stat(ops, file, stat)).size()).isEqualTo(13);
        assertThat(await(AioFutures.submit(ops, "fsync", (f, c) -> ops.fsync(handle, f, c)))).isZero();
        assertThat(await(AioFutures.close(ops, handle))).isZero();
    }

    @Test
    @Timeout(60)
    void a_failure_is_an_AioException_with_the_errno() throws Exception {
        AioFuture<Integer> open = AioFutures.open(ops, tempDir.resolve("missing"), EnumSet.of(AioOpenOption.READ));
        assertThatThrownBy(() -> await(open)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(AioException.class)
                .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(AioErrno.ENOENT))
                .hasMessageContaining("open");
        assertThat(open.isOperationDone()).isTrue();

        int handle = open(Files.writeString(tempDir.resolve("f"), "x"), AioOpenOption.READ);
        assertThat(await(AioFutures.close(ops, handle))).isZero();
        assertThatThrownBy(() -> await(AioFutures.read(ops, handle, arena.allocate(8), 0)))
                .cause().isInstanceOf(AioException.class)
                .satisfies(e -> assertThat(((AioException) e).errno()).isEqualTo(AioErrno.EBADF));
    }

    @Test
    @Timeout(60)
    void misuse_throws_at_once_before_a_future_exists() {
        int handle = open(tempDir.resolve("f"), AioOpenOption.WRITE, AioOpenOption.CREATE);
        MemorySegment heap = MemorySegment.ofArray(new byte[8]);
        assertThatThrownBy(() -> AioFutures.read(ops, handle, heap, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AioFutures.readFully(ops, handle, null, 0)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> AioFutures.submit(ops, "x", null)).isInstanceOf(NullPointerException.class);
        ops.close();
        assertThatThrownBy(() -> AioFutures.close(ops, handle)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    @Timeout(60)
    void futures_complete_on_the_loop() throws Exception {
        int[] pair = connectedPair();
        // Pending until the write below, so the dependent is attached before the future completes.
        CompletableFuture<Boolean> onLoop = AioFutures.read(ops, pair[1], arena.allocate(8), STREAM)
                .thenApply(slice -> ops.inLoop());
        assertThat(await(AioFutures.write(ops, pair[0], bytes("abc"), STREAM))).isEqualTo(3);
        assertThat(await(onLoop)).isTrue();
    }

    @Test
    @Timeout(60)
    void sockets_connect_accept_and_transfer_in_full() throws Exception {
        int listener = await(AioFutures.listen(ops, new InetSocketAddress(LOOPBACK, 0), 16));
        AioFuture<Integer> accepted = AioFutures.accept(ops, listener);
        int client = await(AioFutures.connect(ops, addressOf(listener)));
        int server = await(accepted);

        int size = 4 << 20; // more than a socket buffer: short writes and short reads on the way
        MemorySegment out = pattern(size, 7);
        MemorySegment in = arena.allocate(size);
        AioFuture<MemorySegment> received = AioFutures.readFully(ops, server, in, STREAM);
        assertThat(await(AioFutures.writeFully(ops, client, out, STREAM))).isEqualTo(size);
        assertThat(await(received).byteSize()).isEqualTo(size);
        assertThat(in.mismatch(out)).isEqualTo(-1);

        await(AioFutures.close(ops, client));
        MemorySegment rest = await(AioFutures.read(ops, server, arena.allocate(8), STREAM));
        assertThat(rest.byteSize()).as("end of stream").isZero();
        await(AioFutures.close(ops, server));
        await(AioFutures.close(ops, listener));
    }

    @Test
    @Timeout(60)
    void cancel_cancels_the_operation_and_the_socket_stays_usable() throws Exception {
        int[] pair = connectedPair();
        MemorySegment buffer = arena.allocate(16);
        AioFuture<MemorySegment> pending = AioFutures.read(ops, pair[1], buffer, STREAM);
        assertThat(pending.cancel(true)).isTrue();
        assertThat(pending.isCancelled()).isTrue();
        awaitOperationDone(pending);

        assertThat(await(AioFutures.write(ops, pair[0], bytes("after"), STREAM))).isEqualTo(5);
        MemorySegment got = await(AioFutures.readFully(ops, pair[1], arena.allocate(5), STREAM));
        assertThat(text(got, 5)).as("a cancelled read consumed nothing").isEqualTo("after");
    }

    @Test
    @Timeout(60)
    void cancel_stops_a_transfer_between_steps() throws Exception {
        int[] pair = connectedPair();
        AioFuture<MemorySegment> pending = AioFutures.readFully(ops, pair[1], arena.allocate(10), STREAM);
        assertThat(await(AioFutures.write(ops, pair[0], bytes("abc"), STREAM))).isEqualTo(3);
        assertThat(pending.cancel(false)).isTrue();
        awaitOperationDone(pending);
        assertThatThrownBy(pending::join).isInstanceOf(java.util.concurrent.CancellationException.class);

        // Whatever the transfer took before the cancel, the rest of the stream is still readable in order.
        assertThat(await(AioFutures.write(ops, pair[0], bytes("defghij"), STREAM))).isEqualTo(7);
        MemorySegment tail = await(AioFutures.read(ops, pair[1], arena.allocate(10), STREAM));
        String text = text(tail, (int) tail.byteSize());
        assertThat(text).isNotEmpty().satisfiesAnyOf(t -> assertThat("abcdefghij").startsWith(t),
                t -> assertThat("defghij").startsWith(t));
    }

    @Test
    @Timeout(60)
    void cancel_racing_a_transfer_from_another_thread_ends_it_once_and_loses_no_byte() throws Exception {
        int[] pair = connectedPair();
        int rounds = 50;
        int size = 64;
        MemorySegment one = arena.allocate(1);
        StringBuilder sent = new StringBuilder();
        StringBuilder received = new StringBuilder();
        for (int round = 0; round < rounds; round++) {
            MemorySegment into = arena.allocate(size);
            AioFuture<MemorySegment> transfer = AioFutures.readFully(ops, pair[1], into, STREAM);
            int trickle = 1 + round % 7;
            for (int i = 0; i < trickle; i++) {
                char c = (char) ('a' + (sent.length() % 26));
                one.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) c);
                assertThat(await(AioFutures.write(ops, pair[0], one, STREAM))).isEqualTo(1);
                sent.append(c);
            }
            // Cancelled from a thread of its own while the transfer steps on the loop.
            CompletableFuture.runAsync(() -> transfer.cancel(true)).get(SECONDS, TimeUnit.SECONDS);
            awaitOperationDone(transfer);
            assertThat(transfer.isCancelled()).isTrue();
            // What the cancelled transfer consumed is in its buffer: its first bytes, up to the first zero.
            for (int i = 0; i < size && into.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) != 0; i++) {
                received.append((char) into.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i));
            }
            // Read what it left behind, so that the next round starts on an empty socket.
            while (received.length() < sent.length()) {
                MemorySegment rest = await(AioFutures.read(ops, pair[1], arena.allocate(size), STREAM));
                for (int i = 0; i < rest.byteSize(); i++) {
                    received.append((char) rest.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i));
                }
            }
        }
        assertThat(received.toString()).isEqualTo(sent.toString());
    }
}
