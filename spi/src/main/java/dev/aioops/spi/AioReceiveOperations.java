package dev.aioops.spi;

/**
 * Streams of what arrives, with one request for many results: connections on a listener
 * ({@link #acceptStream}), and data with buffers the adapter chooses ({@link #receiveChunks}). Receiving with
 * buffers the adapter chooses: the library asks once to be handed a stream socket's data as it
 * arrives, and gets each piece in a buffer of the adapter's, which it gives back at once or keeps for a while.
 * Compared with a {@link AioOperations#read} per message, nothing is posted per message and, on io_uring
 * ({@link AioCapability#PROVIDED_BUFFERS}), a connection that waits for data holds no buffer at all: the kernel
 * picks one from a ring shared by every connection only when bytes arrive (multishot {@code RECV} with a provided
 * buffer ring). Elsewhere the adapter reads into a buffer of its pool, one read at a time, with the same contract;
 * what a waiting stream holds then depends on the adapter (see <b>Memory</b>).
 *
 * <p><b>Threads.</b> Any thread may call both methods. The handler's callbacks run on the loop
 * ({@link AioChunkHandler}).
 *
 * <p><b>Exactly once.</b> A stream, once accepted, ends exactly once ({@link AioChunkHandler#end}), also when it is
 * cancelled ({@link AioOperations#cancel(long)} with its token), when its handle is closed and when the instance is
 * closed: then with {@code -ECANCELED}. Data that arrived before a cancel took effect is delivered first. One
 * stream per socket at a time; reads and receive streams must not be mixed on one socket while a stream runs (the
 * byte order between them would be undefined).
 *
 * <p><b>Memory.</b> The buffers ({@link AioConfig#receiveBufferCount()} of {@link AioConfig#receiveBufferSize()}
 * bytes) are shared by every stream of the instance and allocated at the first stream. A library that keeps
 * chunks holds buffers; when all of them are held, every stream pauses until chunks are released. Release
 * promptly, or copy what you must keep long. What one <em>idle</em> stream (a connection waiting for data) holds:
 * <ul>
 * <li><b>io_uring</b> with {@link AioCapability#PROVIDED_BUFFERS}: no buffer, only its multishot receive in the
 * ring; the buffer ring is the {@code receiveBufferCount} buffers, whatever the number of streams.</li>
 * <li><b>epoll</b>: no buffer, only a wait for the socket's readiness on the selector; a stream takes a buffer of
 * the pool when its socket is readable, reads at once, and gives it back at once unless the library keeps the
 * chunk. The pool grows only to the chunks kept plus the one being read into (at most
 * {@code receiveBufferCount} plus one per stream).</li>
 * <li><b>Vert.x</b> (both modes) and io_uring without {@link AioCapability#PROVIDED_BUFFERS}: one posted read
 * holding one buffer of {@code receiveBufferSize} bytes, so the pool grows to {@code receiveBufferCount} plus one
 * buffer per running stream; buffers are never freed before the instance is unreachable.</li>
 * </ul>
 */
public interface AioReceiveOperations {

    /**
     * Starts handing {@code handle}'s data to {@code handler}, chunk by chunk, until end of stream, an error or a
     * cancel ends it.
     *
     * @param handle     a connected stream socket of this instance (TCP or Unix)
     * @param attachment handed back to every callback; may be null
     * @param handler    called with each chunk, then once with the end
     * @param <A>        the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException  if {@code handler} is null
     * @throws IllegalStateException if this instance is closed
     */
    <A> long receiveChunks(int handle, A attachment, AioChunkHandler<? super A> handler);

    /**
     * Starts handing every connection that reaches the listener {@code listenHandle} to {@code handler}, one
     * {@link AioAcceptHandler#accepted} each, until a cancel, the listener's close, the instance's close or a
     * failure ends it. On io_uring (Linux 5.19) one multishot {@code IORING_OP_ACCEPT} serves the whole stream and
     * is submitted again whenever the kernel ends it; elsewhere the adapter accepts one connection at a time, as
     * {@link AioOperations#accept} does. Connections are accepted as fast as they come, with no queue in the
     * adapter: a library that must limit them closes the surplus, or cancels the stream and starts it again later.
     * Do not mix {@link AioOperations#accept} calls with a running stream on one listener.
     *
     * @param listenHandle a listener of this instance
     * @param attachment   handed back to every callback; may be null
     * @param handler      called with each new connection, then once with the end
     * @param <A>          the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException  if {@code handler} is null
     * @throws IllegalStateException if this instance is closed
     */
    <A> long acceptStream(int listenHandle, A attachment, AioAcceptHandler<? super A> handler);

    /**
     * Gives back a chunk that {@link AioChunkHandler#chunk} kept. Its memory must not be touched afterwards. It may
     * be called from any thread, also after the stream ended and after the instance closed (then it does nothing).
     *
     * @param chunk the id the handler was given
     * @throws IllegalStateException if the chunk is not kept (released twice, or never kept) where the adapter can
     *                               tell
     */
    void releaseChunk(long chunk);
}
