package dev.aioops.spi;

/**
 * The callbacks of one accept stream ({@link AioReceiveOperations#acceptStream}): {@link #accepted} for each new
 * connection, then {@link #end} exactly once.
 *
 * <p><b>Thread.</b> Both run on the loop of the {@link AioOperations} that accepted the stream, never concurrently
 * with another completion of that instance, and must not block. If one throws, the exception goes to
 * {@link AioConfig#errorHandler()} and the stream carries on.
 *
 * @param <A> the type of the attachment handed back unchanged
 */
public interface AioAcceptHandler<A> {

    /**
     * A new connection. The handle is the library's from now on, as one from {@link AioOperations#accept} is: it
     * must close it (the instance's close closes what is left).
     *
     * @param attachment the object passed on submission, possibly {@code null}
     * @param handle     the connected socket's handle
     */
    void accepted(A attachment, int handle);

    /**
     * Ends the stream, exactly once, after the last {@link #accepted}.
     *
     * @param result     {@code -ECANCELED} after {@link AioOperations#cancel(long)}, the listener's close or the
     *                   instance's close; else the {@code -errno} with which accepting failed ({@code -EMFILE},
     *                   {@code -ENFILE}, {@code -ENOMEM}: the listener still works, and a new stream may be
     *                   started); {@code -EBADF} for an unknown or closed handle; {@code -EINVAL} for a handle that
     *                   is not a listener; {@code -EOPNOTSUPP} for a datagram socket
     * @param attachment the object passed on submission, possibly {@code null}
     */
    void end(int result, A attachment);
}
