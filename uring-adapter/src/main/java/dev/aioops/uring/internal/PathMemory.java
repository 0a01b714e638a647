package dev.aioops.uring.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * The native memory of one file-system operation, alive until its CQE: the NUL-terminated paths (and an
 * {@code open_how}) the kernel reads, and the caller's object it writes into (an {@code AioStat}), kept reachable.
 * Also the {@code sockaddr_un} of a Unix socket's bind or connect, too large for an op slot's scratch. Loop thread
 * only; {@link #close()} after the CQE.
 *
 * <p>Two kinds. One from a {@link Pool} writes into a fixed block of the loop's arena (two paths of
 * {@code PATH_MAX} and an {@code open_how}) and goes back to its pool at {@link #close()}, so that a path operation
 * in the steady state allocates nothing; only a path that is not ASCII, or too long for the block, takes an arena of
 * its own. One made with {@link #PathMemory(Object)} has its own arena from the start (listen and connect).
 */
final class PathMemory implements AutoCloseable {

    /** Two NUL-terminated paths of {@code PATH_MAX} (4,096 with the NUL) and an {@code open_how}, 8-aligned. */
    private static final long BLOCK = 2 * 4096 + 64;

    /** The pooled memories of one loop, made on demand from its arena and kept until it closes. Loop only. */
    static final class Pool {
        private final Arena memory;
        private final ArrayDeque<PathMemory> idle = new ArrayDeque<>();

        /**
         * @param memory the loop's arena, alive until every CQE has come back
         */
        Pool(Arena memory) {
            this.memory = memory;
        }

        PathMemory take(Object target) {
            PathMemory m = idle.poll();
            if (m == null) {
                m = new PathMemory(this, memory.allocate(BLOCK, 8));
            }
            m.target = target;
            return m;
        }
    }

    private final Pool pool;
    private final MemorySegment block;
    private long used;
    private Arena own;
    /** What the kernel writes into, kept reachable while it may; null when nothing is. */
    Object target;

    private PathMemory(Pool pool, MemorySegment block) {
        this.pool = pool;
        this.block = block;
    }

    /**
     * Memory with an arena of its own, freed by {@link #close()}.
     *
     * @param target what the kernel writes into, kept reachable; or null
     */
    PathMemory(Object target) {
        this.pool = null;
        this.block = null;
        this.own = Arena.ofConfined();
        this.target = target;
    }

    /**
     * A C string of the kernel's path.
     *
     * @param path the path as given
     * @return the address of its NUL-terminated UTF-8 bytes
     */
    long path(String path) {
        int n = path.length();
        if (block != null && used + n + 1 <= block.byteSize() && isAscii(path)) {
            long at = used;
            for (int i = 0; i < n; i++) {
                block.set(JAVA_BYTE, at + i, (byte) path.charAt(i));
            }
            block.set(JAVA_BYTE, at + n, (byte) 0);
            used = at + n + 1;
            return block.address() + at;
        }
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        MemorySegment c = arena().allocate(bytes.length + 1L);
        MemorySegment.copy(bytes, 0, c, JAVA_BYTE, 0, bytes.length);
        return c.address();
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * Zeroed memory, 8-aligned.
     *
     * @param bytes its size
     * @return the segment
     */
    MemorySegment allocate(long bytes) {
        long at = (used + 7) & ~7L;
        if (block != null && at + bytes <= block.byteSize()) {
            used = at + bytes;
            return block.asSlice(at, bytes).fill((byte) 0);
        }
        return arena().allocate(bytes, 8);
    }

    private Arena arena() {
        if (own == null) {
            own = Arena.ofConfined();
        }
        return own;
    }

    @Override
    public void close() {
        if (own != null) {
            own.close();
            own = null;
        }
        target = null;
        if (pool != null) {
            used = 0;
            pool.idle.push(this);
        }
    }
}
