package dev.aioops.crossadapter;

import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pattern every example library uses: close a handle from the completion of its last operation. The
 * descriptor must be closed exactly once; a second {@code close(2)} would hit whatever the process opened under
 * the same number in between (here a JDK {@link FileChannel} opened from the close completion), the fd-reuse
 * race DESIGN.md forbids.
 */
@Timeout(60)
class HandleReuseAcrossAdaptersTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void closing_a_handle_from_its_own_read_completion_closes_it_once(AioProvider adapter) throws Exception {
        Path data = Files.writeString(dir.resolve("data"), "x");
        Path other = dir.resolve("other");
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            MemorySegment buffer = arena.allocate(16);
            CompletableFuture<FileChannel> channel = new CompletableFuture<>();
            ops.open(data, EnumSet.of(AioOpenOption.READ), null, (fd, a) ->
                    ops.read(fd, buffer, 0, null, (n, b) ->
                            ops.close(fd, null, (r, c) -> {
                                try {
                                    // The lowest free descriptor: the number just released.
                                    channel.complete(FileChannel.open(other, StandardOpenOption.CREATE,
                                            StandardOpenOption.WRITE));
                                } catch (Exception e) {
                                    channel.completeExceptionally(e);
                                }
                            })));
            try (FileChannel ch = channel.get(10, TimeUnit.SECONDS)) {
                // Let the loop finish the turn in which the close completion ran.
                CompletableFuture<Void> turn = new CompletableFuture<>();
                ops.execute(() -> turn.complete(null));
                turn.get(10, TimeUnit.SECONDS);
                assertThat(ch.write(ByteBuffer.wrap(new byte[] {1}))).isEqualTo(1);
            }
        }
    }
}
