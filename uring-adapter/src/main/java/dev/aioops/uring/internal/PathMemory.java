package dev.aioops.uring.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The native memory of one file-system operation, alive until its CQE: the NUL-terminated paths (and an
 * {@code open_how}) the kernel reads, and the caller's object it writes into (an {@code AioStat}), kept reachable.
 * Also the {@code sockaddr_un} of a Unix socket's bind or connect, too large for an op slot's scratch. Loop thread
 * only; {@link #close()} after the CQE.
 */
final class PathMemory implements AutoCloseable {

    private final Arena arena = Arena.ofConfined();
    /** What the kernel writes into, kept reachable while it may; null when nothing is. */
    final Object target;

    PathMemory(Object target) {
        this.target = target;
    }

    /**
     * A C string of the kernel's path.
     *
     * @param path the path as given
     * @return the address of its NUL-terminated UTF-8 bytes
     */
    long path(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        MemorySegment c = arena.allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, c, JAVA_BYTE, 0, bytes.length);
        return c.address();
    }

    /**
     * Zeroed memory of the arena.
     *
     * @param bytes its size
     * @return the segment
     */
    MemorySegment allocate(long bytes) {
        return arena.allocate(bytes, 8);
    }

    @Override
    public void close() {
        arena.close();
    }
}
