package dev.aioops.spi.internal;

import dev.aioops.spi.AioBufferPool;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link AioBufferPool} carved from one page-aligned native slab. Free buffers form a lock-free stack of
 * indices (a Treiber stack whose head carries a version against ABA); a second array marks buffers in use so
 * that a double release is caught.
 *
 * <p>The slab belongs to the arena passed in, whose owner (the adapter) closes it after the kernel has given
 * back every buffer; that closing also invalidates every segment handed out.
 */
public final class SlabBufferPool implements AioBufferPool {

    private static final int EMPTY = -1;

    private final MemorySegment slab;
    private final MemorySegment[] buffers;
    private final int bufferSize;
    private final AtomicIntegerArray next;
    private final AtomicIntegerArray inUse;
    /** Low 32 bits: index of the top free buffer or EMPTY; high 32 bits: a version bumped on every change. */
    private final AtomicLong head;

    /**
     * Allocates the slab from {@code arena}.
     *
     * @param arena      the arena that owns the slab; closed by the caller when the kernel is done with it
     * @param count      number of buffers, {@code >= 0}
     * @param bufferSize size of each buffer, a positive multiple of 4096
     */
    public SlabBufferPool(Arena arena, int count, int bufferSize) {
        Objects.requireNonNull(arena, "arena");
        if (count < 0 || bufferSize <= 0 || bufferSize % 4096 != 0) {
            throw new IllegalArgumentException("count " + count + " and bufferSize " + bufferSize
                    + " must be >= 0 and a positive multiple of 4096");
        }
        this.bufferSize = count == 0 ? 0 : bufferSize;
        this.slab = count == 0 ? MemorySegment.NULL : arena.allocate((long) count * bufferSize, 4096);
        this.buffers = new MemorySegment[count];
        this.next = new AtomicIntegerArray(Math.max(count, 1));
        this.inUse = new AtomicIntegerArray(Math.max(count, 1));
        for (int i = 0; i < count; i++) {
            buffers[i] = slab.asSlice((long) i * bufferSize, bufferSize);
            next.set(i, i + 1 < count ? i + 1 : EMPTY);
        }
        this.head = new AtomicLong(count == 0 ? pack(0, EMPTY) : pack(0, 0));
    }

    /**
     * The whole slab, for registering it with the kernel.
     *
     * @return the slab, {@link MemorySegment#NULL} when the pool is empty
     */
    public MemorySegment slab() {
        return slab;
    }

    @Override
    public int bufferSize() {
        return bufferSize;
    }

    @Override
    public int capacity() {
        return buffers.length;
    }

    @Override
    public MemorySegment acquire() {
        if (buffers.length > 0 && !slab.scope().isAlive()) {
            throw new IllegalStateException("the buffer pool is closed with its AioOperations");
        }
        while (true) {
            long h = head.get();
            int top = (int) h;
            if (top == EMPTY) {
                return null;
            }
            // A stale next(top) read loses the CAS below because the version moved on.
            if (head.compareAndSet(h, pack(version(h) + 1, next.get(top)))) {
                inUse.set(top, 1);
                return buffers[top];
            }
        }
    }

    @Override
    public void release(MemorySegment buffer) {
        Objects.requireNonNull(buffer, "buffer");
        int index = indexOf(buffer);
        if (index < 0 || buffers[index].byteSize() != buffer.byteSize()) {
            throw new IllegalArgumentException("not a buffer of this pool (release the very segment acquire() "
                    + "returned): " + buffer);
        }
        if (!inUse.compareAndSet(index, 1, 0)) {
            throw new IllegalArgumentException("buffer " + index + " of this pool is already free");
        }
        while (true) {
            long h = head.get();
            next.set(index, (int) h);
            if (head.compareAndSet(h, pack(version(h) + 1, index))) {
                return;
            }
        }
    }

    @Override
    public boolean contains(MemorySegment segment) {
        if (buffers.length == 0 || !segment.isNative()) {
            return false;
        }
        long offset = segment.address() - slab.address();
        return offset >= 0 && offset + segment.byteSize() <= slab.byteSize();
    }

    private int indexOf(MemorySegment buffer) {
        if (!contains(buffer)) {
            return -1;
        }
        long offset = buffer.address() - slab.address();
        return offset % bufferSize == 0 ? (int) (offset / bufferSize) : -1;
    }

    private static long pack(int version, int index) {
        return ((long) version << 32) | (index & 0xffff_ffffL);
    }

    private static int version(long h) {
        return (int) (h >>> 32);
    }
}
