package dev.aioops.vertx.internal;

import java.lang.foreign.MemorySegment;

/** Views of caller buffers that the loop and worker threads may access. */
final class Segments {

    /** The most one read or write transfers, as on Linux. */
    static final long MAX_TRANSFER = 0x7ffff000L;

    /** A thread that owns no arena: a segment it may access may be accessed by any thread. */
    private static final Thread NO_OWNER = Thread.ofPlatform().unstarted(() -> { });

    private Segments() {
    }

    /**
     * The part of a caller's buffer one transfer uses, for the loop or a worker thread. A segment of a shared,
     * global or automatic arena is sliced and keeps its scope, so that while a worker's blocking
     * {@code FileChannel} call uses it the JDK refuses to close its arena. Only a segment of a confined arena,
     * which no other thread may touch at all, becomes a global-scope alias: there the JDK could not refuse the
     * close anyway, and the contract (the buffer is the adapter's until the completion has run) is what keeps it
     * alive; the operation keeps the original segment reachable that long.
     */
    @SuppressWarnings("restricted") // only for a confined arena's segment; see above
    static MemorySegment view(MemorySegment buffer) {
        long size = Math.min(buffer.byteSize(), MAX_TRANSFER);
        if (buffer.isAccessibleBy(NO_OWNER)) {
            return buffer.asSlice(0, size);
        }
        return MemorySegment.ofAddress(buffer.address()).reinterpret(size);
    }
}
