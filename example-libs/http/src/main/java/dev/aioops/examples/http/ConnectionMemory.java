package dev.aioops.examples.http;

import dev.aioops.spi.AioStat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

/**
 * The memory of a server's connections, so that an idle connection holds almost none. A connection waiting for its
 * next request holds one {@link #IDLE_READ_SIZE}-byte read buffer; when bytes arrive it borrows a {@link WorkingSet}
 * (input array, read buffer, file buffer, stat), and gives it back when it goes idle again. Both are recycled, so
 * the memory in use follows the number of connections busy at once, and a server that was once busy keeps its peak
 * (as a pooled allocator does).
 *
 * <p><b>Ownership.</b> All native memory comes from one arena owned by this pool, closed by {@link #close()}, which
 * the server calls once it is closed and no connection holds anything (no read or write can then be in flight
 * into it). Loop thread only.
 */
final class ConnectionMemory {

    /** The read buffer of an idle connection: a request of this size or less is read whole at once. */
    static final int IDLE_READ_SIZE = 1024;
    static final int READ_SIZE = 16 * 1024;
    static final int IO_SIZE = 64 * 1024;
    private static final int IDLE_SLAB = 64 * IDLE_READ_SIZE;

    /** What a connection works with while it answers requests. */
    static final class WorkingSet {
        final byte[] in;
        final MemorySegment readBuffer;
        final MemorySegment io;
        final AioStat stat;

        private WorkingSet(Arena arena, int inputSize) {
            this.in = new byte[inputSize];
            this.readBuffer = arena.allocate(READ_SIZE);
            this.io = arena.allocate(IO_SIZE);
            this.stat = AioStat.allocate(arena);
        }
    }

    private final Arena arena = Arena.ofShared();
    private final int inputSize;
    private final ArrayDeque<WorkingSet> spareSets = new ArrayDeque<>();
    private final ArrayDeque<MemorySegment> spareIdleBuffers = new ArrayDeque<>();

    /**
     * @param limits the request limits, which size the input array (a whole head plus one read)
     */
    ConnectionMemory(HttpLimits limits) {
        this.inputSize = limits.maxRequestLineLength() + limits.maxHeaderBytes() + 64 + READ_SIZE;
    }

    WorkingSet lend() {
        WorkingSet set = spareSets.poll();
        return set != null ? set : new WorkingSet(arena, inputSize);
    }

    void giveBack(WorkingSet set) {
        spareSets.push(set);
    }

    MemorySegment lendIdleBuffer() {
        if (spareIdleBuffers.isEmpty()) {
            MemorySegment slab = arena.allocate(IDLE_SLAB, 64);
            for (long at = 0; at < IDLE_SLAB; at += IDLE_READ_SIZE) {
                spareIdleBuffers.push(slab.asSlice(at, IDLE_READ_SIZE));
            }
        }
        return spareIdleBuffers.pop();
    }

    void giveBackIdleBuffer(MemorySegment buffer) {
        spareIdleBuffers.push(buffer);
    }

    /** Frees everything; only once nothing lent is in use. Idempotent. */
    void close() {
        if (arena.scope().isAlive()) {
            arena.close();
        }
    }
}
