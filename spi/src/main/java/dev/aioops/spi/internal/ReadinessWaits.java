package dev.aioops.spi.internal;

import dev.aioops.spi.AioCompletion;

import java.lang.foreign.MemorySegment;

/**
 * Readiness of a stream socket, offered by an adapter whose reads wait on readiness (a selector), so that an
 * emulated receive stream ({@link ReadChunkStreams}) waits for data <em>without</em> a buffer and takes one of its
 * pool only once the socket is readable. An adapter without it gives {@code null} to {@link ReadChunkStreams},
 * whose streams then post a read, holding its buffer, while they wait.
 *
 * <p>A wait is an operation of the adapter like a read: {@link dev.aioops.spi.AioOperations#cancel(long)} with its
 * token ends it with {@code -ECANCELED}, as do a close of its handle and the instance's close; it completes on the
 * loop exactly once, never inside the call that submitted it.
 */
public interface ReadinessWaits {

    /**
     * Waits until {@code handle} is readable: bytes, end of stream or an error are pending. Readiness may be
     * spurious ({@link #readNow} then gives {@code -EAGAIN}). Any thread.
     *
     * @param handle     a connected stream socket of the adapter
     * @param completion called on the loop once, with {@code 0} when readable; {@code -ECANCELED} when cancelled,
     *                   the handle closed or the instance closed; {@code -ENOTSOCK} when {@code handle} is not a
     *                   stream socket (the caller then reads as it would without readiness); another
     *                   {@code -errno} ({@code -EBADF}: no such handle)
     * @return the wait's token, for {@link dev.aioops.spi.AioOperations#cancel(long)}
     * @throws IllegalStateException if the instance is closed
     */
    long awaitReadable(int handle, AioCompletion<Object> completion);

    /**
     * Reads what {@code handle} holds now, without waiting. Loop only.
     *
     * @param handle a connected stream socket of the adapter
     * @param into   where the bytes go, from its start
     * @return the bytes read ({@code > 0}), {@code 0} at end of stream, {@code -EAGAIN} when nothing is there,
     *         else {@code -errno}
     */
    int readNow(int handle, MemorySegment into);
}
