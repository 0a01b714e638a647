package dev.aioops.spi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The segments of one vectored read or write (scatter/gather): a caller-owned, reusable description that a
 * vectored read fills in order and a vectored write sends in order, as {@code readv(2)} and {@code writev(2)} do.
 *
 * <p>It keeps its segments in a Java array and, beside them, the kernel's {@code struct iovec} array in native
 * memory of the arena it was allocated from, written as each segment is {@linkplain #add added}; an adapter on
 * io_uring submits that array as it is, so a vector reused from one operation to the next costs no allocation.
 *
 * <p><b>Ownership.</b> From submission until the completion runs the vector and each of its segments belong to
 * the adapter, as a buffer does: the caller must not {@link #clear()} or {@link #add} to it, touch its segments
 * or close their arenas. The vector's own arena must stay open as long as the vector is used.
 *
 * <p><b>Threads.</b> Not thread-safe: fill it on one thread, then submit it; the submission publishes it to the
 * adapter's threads.
 */
public final class AioVector {

    /** The most segments one vector holds: Linux's {@code IOV_MAX}. */
    public static final int MAX_SEGMENTS = 1024;

    private static final long IOVEC_BYTES = 16;

    private final MemorySegment iovecs;
    private final MemorySegment[] segments;
    private int count;
    private long byteSize;

    private AioVector(MemorySegment iovecs, int capacity) {
        this.iovecs = iovecs;
        this.segments = new MemorySegment[capacity];
    }

    /**
     * Allocates an empty vector for up to {@code capacity} segments.
     *
     * @param arena    owns the native {@code iovec} array; must outlive every operation the vector is given to
     * @param capacity the most segments it will hold, 1 to {@link #MAX_SEGMENTS}
     * @return the vector
     * @throws NullPointerException     if {@code arena} is null
     * @throws IllegalArgumentException if {@code capacity} is out of range
     */
    public static AioVector allocate(Arena arena, int capacity) {
        Objects.requireNonNull(arena, "arena");
        if (capacity < 1 || capacity > MAX_SEGMENTS) {
            throw new IllegalArgumentException("capacity must be 1 to " + MAX_SEGMENTS + " (IOV_MAX), not "
                    + capacity);
        }
        return new AioVector(arena.allocate(IOVEC_BYTES * capacity, 8), capacity);
    }

    /**
     * Appends a segment.
     *
     * @param segment native memory; its whole size is transferred
     * @return this vector
     * @throws NullPointerException     if {@code segment} is null
     * @throws IllegalArgumentException if {@code segment} is a heap segment
     * @throws IllegalStateException    if the vector is full, or {@code segment}'s arena is closed
     */
    public AioVector add(MemorySegment segment) {
        Objects.requireNonNull(segment, "segment");
        if (!segment.isNative()) {
            throw new IllegalArgumentException("a vector's segments must be native memory, not heap segments: the "
                    + "kernel cannot reach the Java heap");
        }
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("segment's arena is already closed");
        }
        if (count == segments.length) {
            throw new IllegalStateException("vector is full (" + segments.length + " segments): allocate a larger "
                    + "one or clear() it first");
        }
        segments[count] = segment;
        iovecs.set(JAVA_LONG, count * IOVEC_BYTES, segment.address());
        iovecs.set(JAVA_LONG, count * IOVEC_BYTES + 8, segment.byteSize());
        count++;
        byteSize += segment.byteSize();
        return this;
    }

    /**
     * Removes every segment (their memory is untouched), so that the vector can describe the next operation.
     *
     * @return this vector
     */
    public AioVector clear() {
        java.util.Arrays.fill(segments, 0, count, null);
        count = 0;
        byteSize = 0;
        return this;
    }

    /**
     * How many segments it holds.
     *
     * @return the count, 0 to {@link #capacity()}
     */
    public int count() {
        return count;
    }

    /**
     * The most segments it can hold.
     *
     * @return the capacity
     */
    public int capacity() {
        return segments.length;
    }

    /**
     * One of its segments.
     *
     * @param index 0 to {@code count() - 1}
     * @return the segment at {@code index}
     * @throws IndexOutOfBoundsException if {@code index} is out of range
     */
    public MemorySegment segment(int index) {
        Objects.checkIndex(index, count);
        return segments[index];
    }

    /**
     * The sum of its segments' sizes: the most one operation with it transfers.
     *
     * @return the total size in bytes
     */
    public long byteSize() {
        return byteSize;
    }

    /**
     * For adapters: the native {@code struct iovec} array, one 16-byte entry ({@code iov_base},
     * {@code iov_len}) per segment, the first {@link #count()} of them valid.
     *
     * @return the array, a segment of the vector's arena
     */
    public MemorySegment iovecs() {
        return iovecs;
    }
}
