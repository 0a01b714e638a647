package dev.aioops.spi;

import java.lang.foreign.MemorySegment;

/**
 * Buffers owned by an {@link AioOperations}, all of {@link #bufferSize()} bytes, carved from one native slab
 * that lives exactly as long as the instance. On io_uring the slab is registered with the ring, and reads and
 * writes whose buffer lies inside it use {@code IORING_OP_READ_FIXED} / {@code WRITE_FIXED} automatically,
 * sparing the kernel the page pinning of every I/O.
 *
 * <p><b>Threads.</b> {@link #acquire()} and {@link #release} may be called from any thread; neither blocks nor
 * allocates.
 *
 * <p><b>Ownership.</b> An acquired buffer is the caller's until it is released (and, while an operation uses
 * it, the adapter's, as for any buffer). After {@link AioOperations#close()} the slab is freed and every
 * access to a buffer from it throws {@link IllegalStateException}.
 */
public interface AioBufferPool {

    /**
     * The size of every buffer of this pool.
     *
     * @return the size in bytes, 0 when the pool is empty
     */
    int bufferSize();

    /**
     * How many buffers the pool holds in all.
     *
     * @return the capacity, possibly 0
     */
    int capacity();

    /**
     * Takes a free buffer; its contents are whatever its last user left.
     *
     * @return a segment of {@link #bufferSize()} bytes, or {@code null} when every buffer is in use
     * @throws IllegalStateException if the owning {@link AioOperations} is closed
     */
    MemorySegment acquire();

    /**
     * Gives a buffer back. It must be a segment {@link #acquire()} returned (the very segment, not a slice)
     * and no operation may still be using it.
     *
     * @param buffer the buffer to give back
     * @throws NullPointerException     if {@code buffer} is null
     * @throws IllegalArgumentException if {@code buffer} is not a buffer of this pool or is already free
     */
    void release(MemorySegment buffer);

    /**
     * Whether a segment lies entirely inside this pool's slab (a buffer or a slice of one).
     *
     * @param segment any segment
     * @return {@code true} if an adapter may treat it as registered memory
     */
    boolean contains(MemorySegment segment);
}
