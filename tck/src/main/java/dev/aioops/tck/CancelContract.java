package dev.aioops.tck;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cancellation by token: pending operations complete with {@code -ECANCELED}, finished ones keep their result,
 * unknown tokens are ignored, any thread may cancel.
 */
public abstract class CancelContract extends AioContract {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);

    /** For subclasses. */
    protected CancelContract() {
    }

    @Test
    @Timeout(60)
    void cancelOfAPendingSocketReadGivesEcanceled() {
        int[] pair = connectedPair();
        AioCompletionRecorder<Object> read = recorder();
        long token = ops.read(pair[1], arena.allocate(16), AioOperations.STREAM, null, read);
        assertThat(token).isNotZero();
        ops.cancel(token);
        assertThat(read.await()).isEqualTo(-AioErrno.ECANCELED);
        // The connection is still usable.
        assertThat(call(c -> ops.write(pair[0], bytes("after"), AioOperations.STREAM, null, c))).isEqualTo(5);
        MemorySegment buf = arena.allocate(5);
        assertThat(call(c -> ops.read(pair[1], buf, AioOperations.STREAM, null, c))).isEqualTo(5);
        assertThat(text(buf, 5)).isEqualTo("after");
    }

    @Test
    @Timeout(60)
    void cancelOfAPendingTimeoutGivesEcanceled() {
        AioCompletionRecorder<Object> timeout = recorder();
        ops.cancel(ops.timeout(HOUR, null, timeout));
        assertThat(timeout.await()).isEqualTo(-AioErrno.ECANCELED);
    }

    @Test
    @Timeout(60)
    void cancelOfAPendingAcceptGivesEcanceled() {
        int l = listen();
        AioCompletionRecorder<Object> accept = recorder();
        ops.cancel(ops.accept(l, null, accept));
        assertThat(accept.await()).isEqualTo(-AioErrno.ECANCELED);
    }

    @Test
    @Timeout(60)
    void cancelOfAPendingEventfdReadGivesEcanceledAndLeavesTheCounter() {
        int h = eventfd(0);
        AioCompletionRecorder<Object> read = recorder();
        ops.cancel(ops.read(h, arena.allocate(8), AioOperations.STREAM, null, read));
        assertThat(read.await()).isEqualTo(-AioErrno.ECANCELED);
        assertThat(ops.signal(h, 6)).isTrue();
        MemorySegment buf = arena.allocate(8);
        assertThat(call(c -> ops.read(h, buf, AioOperations.STREAM, null, c))).isEqualTo(8);
        assertThat(buf.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(6);
    }

    @Test
    @Timeout(60)
    void cancelOfAFinishedOperationChangesNothing() {
        AioCompletionRecorder<Object> first = recorder();
        long token = ops.timeout(0, "first", first);
        assertThat(first.await()).isZero();
        ops.cancel(token);
        // A later operation is untouched, and the finished one is not completed again (checked after the test).
        assertThat(call(c -> ops.timeout(TimeUnit.MILLISECONDS.toNanos(20), null, c))).isZero();
        assertThat(first.calls()).isEqualTo(1);
        assertThat(first.attachment()).isEqualTo("first");
    }

    @Test
    @Timeout(60)
    void cancelOfUnknownTokensIsIgnored() {
        ops.cancel(0);
        ops.cancel(-1);
        ops.cancel(0x7fff_ffff_ffffL);
        ops.cancel(Long.MAX_VALUE);
        assertThat(call(c -> ops.timeout(0, null, c))).isZero();
    }

    @Test
    @Timeout(60)
    void cancelFromAnotherThreadWorks() throws InterruptedException {
        int h = eventfd(0);
        AioCompletionRecorder<Object> read = recorder();
        long token = ops.read(h, arena.allocate(8), AioOperations.STREAM, null, read);
        Thread canceller = Thread.ofPlatform().start(() -> ops.cancel(token));
        canceller.join();
        assertThat(read.await()).isEqualTo(-AioErrno.ECANCELED);
    }

    @Test
    @Timeout(60)
    void cancelFromInsideACompletionWorks() {
        AioCompletionRecorder<Object> victim = recorder();
        long victimToken = ops.timeout(HOUR, null, victim);
        AioCompletionRecorder<Object> canceller = recorder();
        ops.timeout(0, null, (r, a) -> {
            ops.cancel(victimToken);
            canceller.completed(r, a);
        });
        assertThat(canceller.await()).isZero();
        assertThat(victim.await()).isEqualTo(-AioErrno.ECANCELED);
    }

    @Test
    @Timeout(60)
    void cancelRacingCompletionDeliversExactlyOneResult() {
        int count = 2000;
        AioCompletionTally tally = new AioCompletionTally(ops, count);
        for (int i = 0; i < count; i++) {
            ops.cancel(ops.timeout(i % 2 == 0 ? 0 : 1000, i, tally));
        }
        tally.await();
        assertThat(tally.duplicates()).isZero();
        for (int i = 0; i < count; i++) {
            assertThat(tally.result(i)).isIn(0, -AioErrno.ECANCELED);
        }
    }

    @Test
    @Timeout(60)
    void cancelOfFileReadsDeliversTheRealResultOrEcanceled() throws IOException {
        Path file = tempDir.resolve("cancel-file");
        Files.write(file, new byte[64 * 4096]);
        int h = open(file);
        int count = 64;
        MemorySegment all = arena.allocate(64L * 4096);
        AioCompletionTally tally = new AioCompletionTally(ops, count);
        for (int i = 0; i < count; i++) {
            ops.cancel(ops.read(h, all.asSlice(i * 4096L, 4096), i * 4096L, i, tally));
        }
        tally.await();
        assertThat(tally.duplicates()).isZero();
        for (int i = 0; i < count; i++) {
            assertThat(tally.result(i)).isIn(4096, -AioErrno.ECANCELED);
        }
    }
}
