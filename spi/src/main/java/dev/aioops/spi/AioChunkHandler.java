package dev.aioops.spi;

import java.lang.foreign.MemorySegment;

/**
 * The callbacks of one receive stream ({@link AioReceiveOperations#receiveChunks}): {@link #chunk} for each piece of
 * data as it arrives, in order, then {@link #end} exactly once.
 *
 * <p><b>Thread.</b> Both run on the loop of the {@link AioOperations} that accepted the stream, never concurrently
 * with another completion of that instance, and must not block. If one throws, the exception goes to
 * {@link AioConfig#errorHandler()} and the stream carries on (a throwing {@link #chunk} has not kept its chunk).
 *
 * @param <A> the type of the attachment handed back unchanged
 */
public interface AioChunkHandler<A> {

    /**
     * Hands over the next bytes of the stream, at least one.
     *
     * <p><b>Ownership.</b> {@code data} is adapter-owned memory. Return {@code false} and it goes back to the
     * adapter when this method returns: do not touch it afterwards. Return {@code true} to keep it; then it stays
     * the library's, unchanged and readable (and writable) from any thread, until it hands it back with
     * {@link AioReceiveOperations#releaseChunk(long) releaseChunk(chunk)}, exactly once. Kept chunks are bounded
     * by {@link AioConfig#receiveBufferCount()}: while they occupy every buffer, streams pause (no byte is lost;
     * the data waits in the socket) and resume when chunks are released.
     *
     * @param attachment the object passed on submission, possibly {@code null}
     * @param data       the bytes received, a native segment of {@code data.byteSize() > 0} bytes
     * @param chunk      the chunk's id, for {@link AioReceiveOperations#releaseChunk(long)} if it is kept
     * @return {@code true} to keep the chunk, {@code false} to give it back now
     */
    boolean chunk(A attachment, MemorySegment data, long chunk);

    /**
     * Ends the stream, exactly once, after the last {@link #chunk}: no chunk follows. Chunks kept earlier stay
     * the library's until released, also after the end and after the instance's close.
     *
     * @param result     {@code 0} when the peer closed its side (end of stream), else {@code -errno}:
     *                   {@code -ECANCELED} after {@link AioOperations#cancel(long)}, the handle's close or the
     *                   instance's close; {@code -ECONNRESET} when the peer reset the connection; {@code -EBADF}
     *                   for an unknown or closed handle; {@code -EINVAL} for a handle that is not a connected stream
     *                   socket; {@code -EOPNOTSUPP} where the adapter cannot receive this way
     * @param attachment the object passed on submission, possibly {@code null}
     */
    void end(int result, A attachment);
}
