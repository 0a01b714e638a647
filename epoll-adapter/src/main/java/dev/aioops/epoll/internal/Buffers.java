package dev.aioops.epoll.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * {@link ByteBuffer} views of the caller's segments for the channel calls.
 */
final class Buffers {

    /** Linux transfers at most this much in one call; so do we. */
    static final int MAX_TRANSFER = 0x7fff_f000;

    private Buffers() {
    }

    /**
     * A view of {@code segment} usable on the calling thread. A segment of a confined arena belongs to the
     * thread that submitted it, yet the contract lets any native segment be used: such a segment is viewed
     * through its address, as the kernel would see it. The operation keeps the original segment reachable,
     * and the contract forbids closing its arena until the completion has run.
     *
     * @param segment a native segment
     * @return a direct buffer over at most {@link #MAX_TRANSFER} of its bytes
     */
    static ByteBuffer view(MemorySegment segment) {
        MemorySegment s = segment.byteSize() > MAX_TRANSFER ? segment.asSlice(0, MAX_TRANSFER) : segment;
        if (!s.isAccessibleBy(Thread.currentThread())) {
            s = unconfined(s);
        }
        return s.asByteBuffer().order(ByteOrder.nativeOrder());
    }

    @SuppressWarnings("restricted") // reinterpret: the same memory, seen without the owner thread's confinement
    private static MemorySegment unconfined(MemorySegment segment) {
        return MemorySegment.ofAddress(segment.address()).reinterpret(segment.byteSize());
    }
}
