package dev.aioops.spi;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * The socket operations of {@link AioOperations} beyond connect, accept, read and write (the contract's second
 * edition): half-closing a connection, socket options, and the peer's address.
 *
 * <p>{@link #shutdown} is submitted like every operation of {@link AioOperations}: any thread, the completion runs
 * once on the loop, {@code -errno} on failure, misuse throws at once. The other methods are synchronous and may be
 * called from any thread, as {@link AioOperations#localAddress(int)}: {@code setsockopt(2)}, {@code getsockopt(2)}
 * and {@code getpeername(2)} never wait. They report failure with an {@link AioException} carrying the errno
 * ({@link AioException#errno()}), the same on every adapter.
 */
public interface AioSocketOperations {

    /**
     * Closes one or both directions of a connected socket ({@code shutdown(2)}); the handle stays open and must
     * still be closed. After {@link AioShutdown#WRITE} the peer reads end of stream once the queued data is sent,
     * and this side can still read what the peer writes. After {@link AioShutdown#READ} a pending or later read
     * completes with 0 (end of stream).
     *
     * <p>Completes with 0, or {@code -errno}: {@code -EBADF} for an unknown or closed handle, {@code -ENOTSOCK}
     * for a file or eventfd handle, {@code -ENOTCONN} for a listening socket (as Linux says). On io_uring it is
     * {@code IORING_OP_SHUTDOWN} (Linux 5.11); a kernel without that opcode gives {@code -EOPNOTSUPP}.
     *
     * @param handle     a socket handle of this instance
     * @param how        which direction to close
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0 (a shutdown is quick; a cancel rarely wins)
     * @throws NullPointerException  if {@code how} or {@code completion} is null
     * @throws IllegalStateException if this instance is closed
     */
    <A> long shutdown(int handle, AioShutdown how, A attachment, AioCompletion<? super A> completion);

    /**
     * Sets a socket option ({@code setsockopt(2)}). Any thread. Flags take 1 (on) or 0 (off); for
     * {@link AioSocketOption#SO_LINGER} give seconds, 0 to reset the connection at close, or -1 for off.
     *
     * @param handle a socket handle of this instance
     * @param option the option
     * @param value  its value, see {@link AioSocketOption}
     * @throws NullPointerException if {@code option} is null
     * @throws AioException         with {@code EBADF} for an unknown or closed handle, {@code ENOTSOCK} for a file
     *                              or eventfd handle, {@code EINVAL} for a value out of the option's range (a flag
     *                              other than 0 or 1, a negative size, a keep-alive time below 1),
     *                              {@code ENOPROTOOPT} for an option that does not apply to a listener
     *                              ({@link AioSocketOption#appliesToListener()}), {@code EOPNOTSUPP} for a listener
     *                              without {@link AioCapability#LISTENER_SOCKET_OPTIONS}
     * @throws IOException          if the kernel refuses the option otherwise
     */
    void setSocketOption(int handle, AioSocketOption option, int value) throws IOException;

    /**
     * Reads a socket option ({@code getsockopt(2)}). Any thread. Flags read as 1 or 0;
     * {@link AioSocketOption#SO_LINGER} as seconds, or -1 when off; the buffer sizes as Linux reports them (twice
     * what was set, within the system's limits).
     *
     * @param handle a socket handle of this instance
     * @param option the option
     * @return its value
     * @throws NullPointerException if {@code option} is null
     * @throws AioException         with {@code EBADF}, {@code ENOTSOCK}, {@code ENOPROTOOPT} or {@code EOPNOTSUPP}
     *                              as {@link #setSocketOption}
     * @throws IOException          if the kernel refuses otherwise
     */
    int socketOption(int handle, AioSocketOption option) throws IOException;

    /**
     * The peer's address of a connected socket ({@code getpeername(2)}); an {@link java.net.InetSocketAddress}
     * for TCP, a {@link java.net.UnixDomainSocketAddress} for a Unix domain socket (the listener's path on the
     * connecting side; an empty path on the accepting side when the peer is not bound, as the JDK gives it). Any
     * thread.
     *
     * @param handle a connected socket handle of this instance
     * @return the address of the other end
     * @throws AioException with {@code EBADF} for an unknown or closed handle, {@code ENOTSOCK} for a file or
     *                      eventfd handle, {@code ENOTCONN} for a listening socket
     * @throws IOException  if the address cannot be read
     */
    SocketAddress remoteAddress(int handle) throws IOException;
}
