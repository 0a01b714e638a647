package dev.aioops.epoll.internal;

import dev.aioops.spi.AioVector;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The caller's segments as the loop's channels and the pool's system calls can use them.
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

    /**
     * Views of a vector's segments usable on the calling thread (see {@link #view}), together at most
     * {@link #MAX_TRANSFER} bytes: a segment past that limit is cut short, and those after it left out.
     *
     * @param vector a vector of native segments
     * @return one direct buffer per segment that takes part
     */
    static ByteBuffer[] views(AioVector vector) {
        int n = vector.count();
        ByteBuffer[] views = new ByteBuffer[n];
        long room = MAX_TRANSFER;
        int i = 0;
        while (i < n && room > 0) {
            MemorySegment s = vector.segment(i);
            views[i] = view(s.byteSize() > room ? s.asSlice(0, room) : s);
            room -= views[i].remaining();
            i++;
        }
        return i == n ? views : java.util.Arrays.copyOf(views, i);
    }

    /**
     * The segment itself, or the same memory seen without its owner thread's confinement, for a system call on
     * the calling thread (see {@link #view}); at most {@link #MAX_TRANSFER} bytes of it.
     *
     * @param segment a native segment
     * @return a segment the calling thread may pass to a downcall
     */
    static MemorySegment usable(MemorySegment segment) {
        MemorySegment s = segment.byteSize() > MAX_TRANSFER ? segment.asSlice(0, MAX_TRANSFER) : segment;
        return s.isAccessibleBy(Thread.currentThread()) ? s : unconfined(s);
    }

    /**
     * Stores an eventfd counter value (native byte order) in the first 8 bytes of a segment.
     *
     * @param segment a segment of at least 8 bytes
     * @param value   the value
     */
    static void putLong(MemorySegment segment, long value) {
        MemorySegment s = segment.isAccessibleBy(Thread.currentThread()) ? segment : unconfined(segment);
        s.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, value);
    }

    /**
     * Loads an eventfd counter value (native byte order) from the first 8 bytes of a segment.
     *
     * @param segment a segment of at least 8 bytes
     * @return the value
     */
    static long getLong(MemorySegment segment) {
        MemorySegment s = segment.isAccessibleBy(Thread.currentThread()) ? segment : unconfined(segment);
        return s.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    }

    @SuppressWarnings("restricted") // reinterpret: the same memory, seen without the owner thread's confinement
    private static MemorySegment unconfined(MemorySegment segment) {
        return MemorySegment.ofAddress(segment.address()).reinterpret(segment.byteSize());
    }
}
