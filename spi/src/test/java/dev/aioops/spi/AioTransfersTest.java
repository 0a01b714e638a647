package dev.aioops.spi;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AioTransfers against an in-memory "device" that completes every read and write before the submitting call
 * returns, moving at most {@code chunk} bytes: the worst case for a looping helper (short transfers and
 * re-entrant completions).
 */
class AioTransfersTest {

    private final byte[] device = new byte[100_000];
    private final List<Long> offsetsSeen = new ArrayList<>();
    private int chunk = 7_000;
    private int failAfterCalls = Integer.MAX_VALUE;
    private int calls;

    @Test
    void writeFullyLoopsOverShortWritesAndAdvancesTheOffset() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(50_000);
            for (int i = 0; i < 50_000; i++) {
                buf.set(ValueLayout.JAVA_BYTE, i, (byte) i);
            }
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);

            AioTransfers.writeFully(device(), 3, buf, 1000, "att", (r, a) -> result.set(a.equals("att") ? r : -1));

            assertThat(result.get()).isEqualTo(50_000);
            assertThat(offsetsSeen).startsWith(1000L, 8000L, 15000L).hasSize(8);
            for (int i = 0; i < 50_000; i++) {
                assertThat(device[1000 + i]).isEqualTo((byte) i);
            }
        }
    }

    @Test
    void readFullyStopsAtTheEndWithTheShorterCount() {
        try (Arena arena = Arena.ofConfined()) {
            device[99_999] = 42;
            MemorySegment buf = arena.allocate(30_000);
            AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);

            AioTransfers.readFully(device(), 3, buf, 90_000, null, (r, a) -> result.set(r));

            assertThat(result.get()).isEqualTo(10_000);
            assertThat(buf.get(ValueLayout.JAVA_BYTE, 9_999)).isEqualTo((byte) 42);
        }
    }

    @Test
    void streamOffsetsStayStreamOffsets() {
        try (Arena arena = Arena.ofConfined()) {
            AtomicInteger result = new AtomicInteger();

            AioTransfers.readFully(device(), 3, arena.allocate(20_000), AioOperations.STREAM, null,
                    (r, a) -> result.set(r));

            assertThat(result.get()).isEqualTo(20_000);
            assertThat(offsetsSeen).containsOnly(AioOperations.STREAM);
        }
    }

    @Test
    void aFailureEndsTheTransferWithItsErrno() {
        try (Arena arena = Arena.ofConfined()) {
            failAfterCalls = 2;
            AtomicInteger result = new AtomicInteger();
            AtomicInteger completions = new AtomicInteger();

            AioTransfers.writeFully(device(), 3, arena.allocate(50_000), 0, null, (r, a) -> {
                completions.incrementAndGet();
                result.set(r);
            });

            assertThat(result.get()).isEqualTo(-AioErrno.ECONNRESET);
            assertThat(completions.get()).isEqualTo(1);
        }
    }

    @Test
    void aWriteWithoutProgressFailsWithEioInsteadOfSpinning() {
        try (Arena arena = Arena.ofConfined()) {
            chunk = 0;
            AtomicInteger result = new AtomicInteger();

            AioTransfers.writeFully(device(), 3, arena.allocate(10), 0, null, (r, a) -> result.set(r));

            assertThat(result.get()).isEqualTo(-AioErrno.EIO);
        }
    }

    @Test
    void sendFileFullyLoopsOverShortSendsAndStopsAtTheEndOfTheFile() {
        List<Long> lengths = new ArrayList<>();
        AtomicInteger result = new AtomicInteger(Integer.MIN_VALUE);

        AioTransfers.sendFileFully(sender(lengths), 4, 5, 90_000, 30_000, "att",
                (r, a) -> result.set(a.equals("att") ? r : -1));

        assertThat(result.get()).isEqualTo(10_000);
        assertThat(offsetsSeen).containsExactly(90_000L, 97_000L, 100_000L);
        assertThat(lengths).containsExactly(30_000L, 23_000L, 20_000L);
    }

    @Test
    void sendFileFullyEndsWithTheFirstErrno() {
        failAfterCalls = 2;
        AtomicInteger result = new AtomicInteger();
        AtomicInteger completions = new AtomicInteger();

        AioTransfers.sendFileFully(sender(new ArrayList<>()), 4, 5, 0, 50_000, null, (r, a) -> {
            completions.incrementAndGet();
            result.set(r);
        });

        assertThat(result.get()).isEqualTo(-AioErrno.ECONNRESET);
        assertThat(completions.get()).isEqualTo(1);
        assertThat(calls).isEqualTo(3);
    }

    /** A socket that takes at most {@code chunk} bytes of each send of a {@code device.length}-byte file. */
    @SuppressWarnings("unchecked")
    private AioOperations sender(List<Long> lengths) {
        return (AioOperations) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{AioOperations.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("sendFile")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    long offset = (long) args[2];
                    long length = (long) args[3];
                    offsetsSeen.add(offset);
                    lengths.add(length);
                    int n = (int) Math.max(0, Math.min(Math.min(chunk, length), device.length - offset));
                    ((AioCompletion<Object>) args[5]).completed(++calls > failAfterCalls ? -AioErrno.ECONNRESET : n,
                            args[4]);
                    return 1L;
                });
    }

    @SuppressWarnings("unchecked")
    private AioOperations device() {
        return (AioOperations) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{AioOperations.class},
                (proxy, method, args) -> {
                    boolean write = method.getName().equals("write");
                    if (!write && !method.getName().equals("read")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    MemorySegment buf = (MemorySegment) args[1];
                    long offset = (long) args[2];
                    offsetsSeen.add(offset);
                    long at = offset < 0 ? 0 : offset;
                    int n = (int) Math.max(0, Math.min(Math.min(chunk, buf.byteSize()), device.length - at));
                    int result = ++calls > failAfterCalls ? -AioErrno.ECONNRESET : n;
                    if (result > 0) {
                        MemorySegment file = MemorySegment.ofArray(device).asSlice(at, n);
                        if (write) {
                            file.copyFrom(buf.asSlice(0, n));
                        } else {
                            buf.asSlice(0, n).copyFrom(file);
                        }
                    }
                    ((AioCompletion<Object>) args[4]).completed(result, args[3]);
                    return 1L;
                });
    }
}
