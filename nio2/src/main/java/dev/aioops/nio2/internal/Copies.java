package dev.aioops.nio2.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Moves bytes between {@link ByteBuffer}s and the native block a transfer used, and advances their positions. */
final class Copies {

    private Copies() {
    }

    /** Copies the first bytes of {@code buffer} (or of {@code buffers} in order) into all of {@code into}. */
    static void gather(ByteBuffer buffer, ByteBuffer[] buffers, MemorySegment into) {
        if (buffer != null) {
            MemorySegment.copy(MemorySegment.ofBuffer(buffer), 0, into, 0, into.byteSize());
            return;
        }
        long off = 0;
        for (ByteBuffer b : buffers) {
            long k = Math.min(b.remaining(), into.byteSize() - off);
            if (k > 0) {
                MemorySegment.copy(MemorySegment.ofBuffer(b), 0, into, off, k);
                off += k;
            }
        }
    }

    /**
     * Advances {@code buffer} (or {@code buffers} in order) by {@code n} bytes transferred, first copying them from
     * {@code from} when a read went through a native block.
     *
     * @param from the block a read filled, or null (a write, or a read in place)
     */
    static void advance(ByteBuffer buffer, ByteBuffer[] buffers, int n, MemorySegment from) {
        if (buffer != null) {
            if (from != null) {
                MemorySegment.copy(from, 0, MemorySegment.ofBuffer(buffer), 0, n);
            }
            buffer.position(buffer.position() + n);
            return;
        }
        long off = 0;
        for (ByteBuffer b : buffers) {
            int k = (int) Math.min(b.remaining(), n - off);
            if (k <= 0) {
                continue;
            }
            if (from != null) {
                MemorySegment.copy(from, off, MemorySegment.ofBuffer(b), 0, k);
            }
            b.position(b.position() + k);
            off += k;
            if (off == n) {
                break;
            }
        }
    }
}
