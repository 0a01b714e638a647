package dev.aioops.spi;

/**
 * Vectored reads and writes (scatter/gather) of {@link AioOperations} (the contract's second edition): one
 * operation moves the bytes of several segments, as {@code readv(2)}/{@code preadv(2)} and
 * {@code writev(2)}/{@code pwritev(2)} do, so that a protocol can read a header and a body into separate buffers,
 * or send them, without copying them together first.
 *
 * <p><b>Threads and completions</b> as for every submission of {@link AioOperations}: any thread may submit, the
 * completion runs once on the loop, I/O failures are {@code -errno} results, misuse throws at once.
 *
 * <p><b>Ownership.</b> From submission until the completion runs the {@link AioVector} and each of its segments
 * belong to the adapter, as a buffer of {@link AioOperations#read} does: the caller must not change the vector
 * ({@link AioVector#clear()}, {@link AioVector#add}), touch its segments or close their arenas, nor the vector's
 * own arena. The adapter keeps the vector reachable until the kernel is done with it, also after a cancel and at
 * close. Once the completion has run, the vector may be reused for the next operation.
 *
 * <p><b>Results.</b> The total number of bytes moved, segment after segment in order. It may be short: a short
 * read ends in the middle of a segment at end of file or when a socket holds fewer bytes (the later segments are
 * untouched); a short write likewise, when a socket's send buffer is full. {@code 0} is end of file or of stream.
 * A vector's total above {@code 0x7ffff000} bytes moves at most that much in one operation, as by Linux
 * ({@code MAX_RW_COUNT}).
 *
 * <p><b>Handles.</b> Files take a position or {@link AioOperations#STREAM}; sockets only {@link AioOperations#STREAM}
 * ({@code -ESPIPE} otherwise). An eventfd takes no vector: {@code -EINVAL} on every adapter (an eventfd transfers
 * one 8-byte counter, which {@link AioOperations#read} and {@link AioOperations#write} do).
 */
public interface AioVectoredOperations {

    /**
     * Reads into the segments of {@code vector} in order, as {@code preadv(2)} (or {@code readv(2)} at
     * {@link AioOperations#STREAM}).
     *
     * <p>Completes with the total number of bytes read, {@code 0} at end of file or when the peer has closed the
     * stream, or {@code -errno}: {@code -EBADF} for an unknown or closed handle or a file not opened for reading,
     * {@code -ENOTCONN} for a listening socket, {@code -ESPIPE} for a position on a socket, {@code -EINVAL} for an
     * eventfd, {@code -ECANCELED} when cancelled or when the handle or this instance is closed first. On io_uring
     * it is {@code IORING_OP_READV}; a kernel without it gives {@code -EOPNOTSUPP}.
     *
     * @param handle     a file or socket handle of this instance
     * @param vector     at least one writable native segment, owned by the adapter until completion
     * @param offset     a file position {@code >= 0}, or {@link AioOperations#STREAM} for the current position
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code vector} or {@code completion} is null
     * @throws IllegalArgumentException if {@code vector} is empty, holds a read-only segment, or
     *                                  {@code offset < -1}
     * @throws IllegalStateException    if a segment's arena is closed, or this instance is closed
     */
    <A> long readv(int handle, AioVector vector, long offset, A attachment, AioCompletion<? super A> completion);

    /**
     * Writes the segments of {@code vector} in order, as {@code pwritev(2)} (or {@code writev(2)} at
     * {@link AioOperations#STREAM}).
     *
     * <p>Completes with the total number of bytes written, which may be short on streams (submit the rest
     * again), or {@code -errno}: {@code -EBADF} for an unknown or closed handle or a file not opened for writing,
     * {@code -EPIPE} or {@code -ECONNRESET} when the peer has gone (and {@code -EPIPE} for a listening socket, as
     * {@code write(2)} on one), {@code -ESPIPE} for a position on a socket, {@code -EINVAL} for an eventfd,
     * {@code -ECANCELED} as for {@link #readv}. On io_uring it is {@code IORING_OP_WRITEV}; a kernel without it
     * gives {@code -EOPNOTSUPP}.
     *
     * @param handle     a file or socket handle of this instance
     * @param vector     at least one native segment, owned by the adapter until completion
     * @param offset     a file position {@code >= 0}, or {@link AioOperations#STREAM} for the current position
     *                   (files opened with {@link AioOpenOption#APPEND} always write at the end)
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code vector} or {@code completion} is null
     * @throws IllegalArgumentException if {@code vector} is empty or {@code offset < -1}
     * @throws IllegalStateException    if a segment's arena is closed, or this instance is closed
     */
    <A> long writev(int handle, AioVector vector, long offset, A attachment, AioCompletion<? super A> completion);
}
