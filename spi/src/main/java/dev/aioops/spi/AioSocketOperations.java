package dev.aioops.spi;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * The socket operations of {@link AioOperations} beyond connect, accept, read and write (the contract's second
 * edition): half-closing a connection, socket options, the peer's address, and sending a file without copying it
 * through Java memory.
 *
 * <p>{@link #shutdown} and {@link #sendFile} are submitted like every operation of {@link AioOperations}: any
 * thread, the completion runs once on the loop, {@code -errno} on failure, misuse throws at once. The other methods
 * are synchronous and may be
 * called from any thread, as {@link AioOperations#localAddress(int)}: {@code setsockopt(2)}, {@code getsockopt(2)}
 * and {@code getpeername(2)} never wait. They report failure with an {@link AioException} carrying the errno
 * ({@link AioException#errno()}), the same on every adapter.
 */
public interface AioSocketOperations {

    /**
     * Creates a listening stream socket as {@link AioOperations#listen(SocketAddress, int, Object, AioCompletion)}
     * does, with {@code options} set on it between {@code socket(2)} and {@code bind(2)}: the only moment
     * {@link AioSocketOption#SO_REUSEPORT} can be set, so that several listeners share a port
     * ({@link AioServers#listenOnEvery} opens one per member of a group this way). Options left unset keep the
     * plain listen's behaviour ({@code SO_REUSEADDR} on TCP). The connections the listener accepts inherit
     * {@link AioSocketOption#SO_RCVBUF} and the keep-alive timers.
     *
     * <p>Completes with the new handle, or {@code -errno}: {@code -EADDRINUSE} when the port is held by a listener
     * that did not set {@code SO_REUSEPORT} (or this one did not, or the other belongs to another user);
     * {@code -EOPNOTSUPP} for an option that does not apply to a Unix domain socket (only
     * {@link AioSocketOption#SO_RCVBUF} does), and for {@code SO_REUSEPORT} on an adapter without
     * {@link AioCapability#REUSE_PORT}; the kernel's errno when it refuses an option.
     *
     * <p><b>How.</b> On io_uring, {@code setsockopt(2)} calls on the loop between {@code IORING_OP_SOCKET} and
     * {@code IORING_OP_BIND} (Linux 6.11; before it, between the {@code socket(2)} and {@code bind(2)} system
     * calls, none of which waits); the same on the Vert.x shared ring. On epoll, {@code ServerSocketChannel.setOption}
     * before {@code bind}. On Vert.x native, {@code NetServerOptions} ({@code setReusePort}, {@code
     * setReuseAddress}), the receive buffer and keep-alive timers set on each accepted connection; two listens on one
     * port within one Vert.x instance share one server socket there, as Vert.x servers do.
     *
     * @param address    a resolved {@link java.net.InetSocketAddress}, or a {@link java.net.UnixDomainSocketAddress}
     * @param backlog    the accept backlog, {@code >= 1}
     * @param options    the options to set before the bind; {@link AioListenOptions#defaults()} for none
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code address}, {@code options} or {@code completion} is null
     * @throws IllegalArgumentException as {@link AioOperations#listen(SocketAddress, int, Object, AioCompletion)}
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long listen(SocketAddress address, int backlog, AioListenOptions options, A attachment,
                    AioCompletion<? super A> completion);

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

    /**
     * Sends {@code length} bytes of a file, from {@code offset}, to a connected socket, without copying them through
     * Java memory: the kernel hands the file's page-cache pages to the socket (zero-copy, as {@code sendfile(2)}).
     * The file's position is neither used nor moved, so several sends of one file handle may run at once.
     *
     * <p><b>How.</b> On io_uring, {@code IORING_OP_SPLICE} from the file into a pipe the loop owns, then from the
     * pipe into the socket, chunk after chunk (Linux 5.7; a kernel without it gives {@code -EOPNOTSUPP}). On the
     * adapters built on Java channels (epoll, Vert.x native), {@code FileChannel.transferTo} to the socket
     * ({@code sendfile(2)}) on a file thread, never on the loop, since reading a page that is not cached waits for
     * the disk; Vert.x native writes a Netty {@code DefaultFileRegion} on the socket's channel. There the file is
     * read through a second descriptor of the same file, opened through {@code /proc/self/fd} for each send.
     *
     * <p><b>Result.</b> The number of bytes that reached the socket (its send buffer), which may be fewer than
     * {@code length}: a short transfer, as with {@link AioOperations#write}. It is short when the file ends first,
     * when {@code length} is above {@code 0x7ffff000} (the most that moves at once, as by Linux), and when the
     * transfer stopped after some bytes were sent: the peer went away, or the send was cancelled or its handle or
     * this instance closed (the next send then reports the errno). Loop with {@link AioTransfers#sendFileFully}.
     * {@code 0} when {@code offset} is at or past the end of the file, or {@code length} is 0. Otherwise
     * {@code -errno}, the same on every adapter:
     * <ul>
     *   <li>{@code -EBADF}: either handle is unknown or closed, or the file was not opened for reading;</li>
     *   <li>{@code -ENOTSOCK}: {@code socketHandle} names a file, directory or eventfd;</li>
     *   <li>{@code -EPIPE}: {@code socketHandle} names a listening socket (as {@code write(2)} on one), or this side
     *       has shut down its output; {@code -EPIPE} or {@code -ECONNRESET} when the peer has gone;</li>
     *   <li>{@code -EINVAL}: {@code fileHandle} names a directory, socket or eventfd, which has no pages to send
     *       (as {@code splice(2)} and {@code sendfile(2)} say); {@code -ESPIPE} for a FIFO opened as a file;</li>
     *   <li>{@code -ECANCELED}: cancelled, or either handle or this instance closed, before a byte was sent;</li>
     *   <li>{@code -EOPNOTSUPP}: on io_uring, a kernel without {@code IORING_OP_SPLICE}.</li>
     * </ul>
     *
     * <p><b>Order against writes.</b> As between two writes on a stream: the bytes of operations on the same socket
     * that are in flight at the same time (writes, vectored writes, other sends) may interleave in any order; the
     * bytes of a send follow those of every operation that completed before it was submitted, and precede those of
     * every operation submitted after it completed. A protocol that sends a header, a file and a trailer submits
     * each after the completion of the one before (as {@link AioTransfers#sendFileFully} does).
     *
     * <p><b>Cancel and close</b>, as for every operation: exactly one completion. A send that some bytes have left
     * completes with their count (the peer may receive them); one that sent nothing with {@code -ECANCELED}. On
     * Vert.x native the range goes to Netty in regions of at most 1 MiB, and one Netty has begun cannot be
     * withdrawn: a cancel takes effect once that region is written, and after the file handle's close Netty still
     * sends the rest of it (the socket handle's close stops it at once).
     *
     * @param socketHandle a connected socket handle of this instance
     * @param fileHandle   a regular file of this instance, opened for reading
     * @param offset       the file position of the first byte, {@code >= 0}
     * @param length       how many bytes to send, {@code >= 0}
     * @param attachment   handed back to the completion; may be null
     * @param completion   called once with the result
     * @param <A>          the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code completion} is null
     * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long sendFile(int socketHandle, int fileHandle, long offset, long length, A attachment,
                      AioCompletion<? super A> completion);
}
