package dev.aioops.vertx.internal;

import java.lang.foreign.MemorySegment;

/** Views of caller buffers that the loop and worker threads may access. */
final class Segments {

    /** The most one read or write transfers, as on Linux. */
    static final long MAX_TRANSFER = 0x7ffff000L;

    private Segments() {
    }

    /**
     * A global-scope alias of a caller's buffer, so that the loop or a worker thread can reach memory of a
     * confined arena. Safe because the contract gives the buffer to the adapter until the completion has run
     * (the caller may neither touch it nor close its arena), and the operation keeps the original segment
     * reachable for that long.
     */
    @SuppressWarnings("restricted") // the adapter owns the buffer until completion; see above
    static MemorySegment alias(MemorySegment buffer) {
        return MemorySegment.ofAddress(buffer.address()).reinterpret(Math.min(buffer.byteSize(), MAX_TRANSFER));
    }
}
