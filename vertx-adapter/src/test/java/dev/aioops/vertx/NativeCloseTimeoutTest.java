package dev.aioops.vertx;

import dev.aioops.spi.AioCloseTimeoutException;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.tck.AioCompletionRecorder;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Vert.x-native mode: a file read a worker thread is blocked in when the close timeout passes (a FIFO with a writer
 * and no data) is reported, not completed, its buffer's arena cannot be closed meanwhile, and it completes once
 * with its real result when the read returns.
 */
class NativeCloseTimeoutTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(60)
    void aFileReadStillBlockedAfterTheCloseTimeoutIsReportedKeptAndCompletedOnceLater() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        AioConfig config = AioConfig.builder().closeTimeout(Duration.ofMillis(300)).errorHandler(reported::add)
                .build();
        // O_RDWR on a FIFO does not wait for a reader: a writer that sends nothing until told to.
        try (RandomAccessFile writer = new RandomAccessFile(fifo.toFile(), "rw")) {
            AioOperations ops = new VertxAioProvider(Transport.NIO).open(config);
            assertThat(((VertxAioOperations) ops).mode()).isEqualTo(VertxAioMode.NATIVE);
            AioCompletionRecorder<Object> opened = new AioCompletionRecorder<>(ops);
            ops.open(fifo, EnumSet.of(AioOpenOption.READ), null, opened);
            int handle = opened.await();
            assertThat(handle).isPositive();

            Arena arena = Arena.ofShared();
            MemorySegment buffer = arena.allocate(16);
            AioCompletionRecorder<Object> read = new AioCompletionRecorder<>(ops);
            ops.read(handle, buffer, AioOperations.STREAM, null, read);
            awaitWorkerBlockedInRead();

            ops.close();

            assertThat(reported).singleElement().isInstanceOf(AioCloseTimeoutException.class);
            assertThat(((AioCloseTimeoutException) reported.getFirst()).stuck()).isEqualTo(1);
            assertThat(read.calls()).as("the blocked read is not completed by close").isZero();
            assertThatThrownBy(arena::close).as("the JDK refuses to free memory a blocked read uses")
                    .isInstanceOf(IllegalStateException.class);

            writer.write(new byte[] {7, 8, 9});
            assertThat(read.await()).as("the read, once it returns").isEqualTo(3);
            assertThat(buffer.get(ValueLayout.JAVA_BYTE, 2)).isEqualTo((byte) 9);
            assertThat(read.calls()).isEqualTo(1);
            assertThat(read.thread().getName()).contains("eventloop");
            arena.close();
        }
    }

    /** Polls the threads' stacks until a file worker is inside FileChannel.read (it then blocks on the FIFO). */
    private static void awaitWorkerBlockedInRead() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            for (var entry : Thread.getAllStackTraces().entrySet()) {
                boolean inRead = false;
                for (StackTraceElement frame : entry.getValue()) {
                    inRead |= frame.getMethodName().equals("pread")
                            && frame.getClassName().equals("dev.aioops.linux.internal.FileCalls");
                }
                if (inRead && entry.getKey().getName().startsWith("aioops-vertx-files")) {
                    return;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no file worker entered the read");
    }
}
