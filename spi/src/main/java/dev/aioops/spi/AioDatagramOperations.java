package dev.aioops.spi;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * UDP (the contract's second edition): a datagram socket bound to a local address and, if asked, connected to one
 * peer; datagrams sent to an address or to that peer; datagrams received with their sender's address, whole or
 * reported as truncated.
 *
 * <p><b>Threads and completions</b> as for every submission of {@link AioOperations}: any thread may submit, the
 * completion runs once on the loop (also when the operation is cancelled, its handle closed or the instance closed:
 * then with {@code -ECANCELED}), I/O failures are {@code -errno} results, misuse throws at once.
 *
 * <p><b>One operation, one datagram.</b> {@link #sendTo} sends its whole buffer as one datagram, never a part of
 * it; {@link #receive} takes exactly one datagram off the socket. A datagram of 0 bytes from a peer is received as
 * one, with the result 0, which here never means end of stream (but after {@link AioShutdown#READ}, below); sending
 * one completes with {@code -EINVAL} on every adapter, because the JDK's and Netty's datagram channels cannot send
 * it (they skip an empty write without a system call).
 *
 * <p><b>Truncation</b> is reported, never silent, in one way on every adapter: a receive completes with the
 * datagram's <em>full</em> length, as {@code recvmsg(2)} with {@code MSG_TRUNC} does. A result greater than the
 * buffer's size means that the datagram did not fit: the buffer holds its first {@code buffer.byteSize()} bytes,
 * the rest is gone, and the next receive gets the next datagram. So the bytes to read are
 * {@code min(result, buffer.byteSize())}. A datagram over IPv4 or IPv6 carries at most 65,507 or 65,527 bytes: a
 * buffer of 65,536 bytes never truncates.
 *
 * <p><b>Ownership.</b> From submission until the completion runs, the buffer and the {@link AioSocketAddress}
 * belong to the adapter, as the buffer of {@link AioOperations#read} does; the adapter keeps them reachable until
 * then. On io_uring the kernel reads and writes both where they are ({@code IORING_OP_SENDMSG} and
 * {@code RECVMSG} with a {@code msghdr} the adapter preallocated per operation slot), so the steady state allocates
 * nothing; the adapters built on Java channels ({@code DatagramChannel}, Netty's datagram channels under Vert.x)
 * copy.
 *
 * <p><b>Loss and order</b> are UDP's: a datagram that arrives when the receiving socket's buffer
 * ({@link AioSocketOption#SO_RCVBUF}) is full is dropped by the kernel, and nothing retransmits it. Keep receives
 * posted and pace senders to what the receiver holds. No adapter reads datagrams off a socket into memory of its
 * own beyond what the posted receives take, except the Vert.x-native mode, which reads ahead at most 16 datagrams
 * while a receive is posted (Netty reads a batch per readiness).
 *
 * <p><b>The other operations on a datagram handle</b>, the same on every adapter:
 * <ul>
 *   <li>{@link AioOperations#close}, {@link AioOperations#localAddress} (the bound address, its port resolved),
 *       {@link AioSocketOperations#remoteAddress} (the connected peer; {@code ENOTCONN} when not connected);</li>
 *   <li>socket options {@link AioSocketOption#SO_RCVBUF}, {@link AioSocketOption#SO_SNDBUF},
 *       {@link AioSocketOption#SO_REUSEADDR} and {@link AioSocketOption#SO_REUSEPORT}
 *       ({@link AioSocketOption#appliesToDatagram()}); the others throw an {@link AioException} with
 *       {@code ENOPROTOOPT};</li>
 *   <li>{@link AioSocketOperations#shutdown} as {@code shutdown(2)} does it on a UDP socket: 0 on a connected one,
 *       {@code -ENOTCONN} on an unconnected one, which is shut all the same (as Linux does); after
 *       {@link AioShutdown#READ} a receive that finds no datagram queued completes with 0 (a pending one at once),
 *       after {@link AioShutdown#WRITE} a send completes with {@code -EPIPE};</li>
 *   <li>{@link AioOperations#read}, {@link AioOperations#write}, {@link AioVectoredOperations#readv},
 *       {@link AioVectoredOperations#writev} and their forms with a deadline complete with {@code -EINVAL}: a read
 *       would cut a datagram silently, as {@code read(2)} does. Use {@link #receive} and {@link #sendTo}
 *       (with a null target for the connected peer);</li>
 *   <li>{@link AioOperations#accept} completes with {@code -EOPNOTSUPP}, as {@code accept(2)} answers for a socket
 *       that is not a stream; the file operations as on a TCP socket.</li>
 * </ul>
 *
 * <p><b>Kernel support.</b> On io_uring a kernel without {@code IORING_OP_SENDMSG} or {@code RECVMSG} (Linux 5.3),
 * or, for a receive with a deadline, without {@code IORING_OP_TIMEOUT} or {@code ASYNC_CANCEL} (5.5), gives {@code -EOPNOTSUPP}.
 */
public interface AioDatagramOperations {

    /**
     * Opens a UDP socket bound to {@code bind} and, when {@code connectTo} is given, connected to it (then it
     * sends there with a null target and receives from there only). The socket's family, IPv4 or IPv6, is that of
     * {@code bind}'s address. Port 0 binds an ephemeral port: ask {@link AioOperations#localAddress(int)} which.
     * No socket option is set beyond the adapter's defaults ({@code SO_REUSEADDR} is off).
     *
     * <p>Completes with the new handle, or {@code -errno}: {@code -EADDRINUSE} when the port is bound already,
     * {@code -EADDRNOTAVAIL} for an address of no local interface, {@code -ENETUNREACH} when {@code connectTo}
     * cannot be reached.
     *
     * @param bind       a resolved local address, such as {@code new InetSocketAddress(0)} for any address and an
     *                   ephemeral port ({@code 0.0.0.0}: IPv4)
     * @param connectTo  a resolved peer of the same family, or null for an unconnected socket
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code bind} or {@code completion} is null
     * @throws IllegalArgumentException if an address is unresolved, or {@code connectTo}'s family is not
     *                                  {@code bind}'s
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long openDatagram(InetSocketAddress bind, InetSocketAddress connectTo, A attachment,
                          AioCompletion<? super A> completion);

    /**
     * Sends the whole of {@code buffer} as one datagram to {@code target}, or to the connected peer when
     * {@code target} is null ({@code sendmsg(2)}).
     *
     * <p>Completes with the number of bytes sent, {@code buffer.byteSize()}, or {@code -errno}: {@code -EINVAL} for
     * an empty buffer (see the class comment);
     * {@code -EDESTADDRREQ} for a null target on an unconnected socket; {@code -EISCONN} for a target on a
     * connected one (on every adapter, whether or not it names the peer: the JDK's and Netty's channels refuse it);
     * {@code -EMSGSIZE} for a datagram over the protocol's limit; {@code -EAFNOSUPPORT} for an IPv6 target of an
     * IPv4 socket; {@code -ECONNREFUSED} on a connected socket whose earlier datagram the peer refused (an ICMP port
     * unreachable, reported once); {@code -EPIPE} after {@link AioShutdown#WRITE}; {@code -EINVAL} for a TCP socket,
     * {@code -ENOTSOCK} for a file or eventfd; {@code -EBADF} for an unknown or closed handle.
     *
     * @param handle     a datagram handle of this instance
     * @param buffer     the datagram's bytes, native memory owned by the adapter until completion
     * @param target     where to send it, owned by the adapter until completion (it reads it); null for the
     *                   connected peer
     * @param attachment handed back to the completion; may be null
     * @param completion called once with the result
     * @param <A>        the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code buffer} or {@code completion} is null
     * @throws IllegalArgumentException if {@code buffer} is a heap segment, or {@code target} holds no address
     * @throws IllegalStateException    if an arena is closed, or this instance is closed
     */
    <A> long sendTo(int handle, MemorySegment buffer, AioSocketAddress target, A attachment,
                    AioCompletion<? super A> completion);

    /**
     * Receives one datagram into {@code buffer} and its sender's address into {@code sender}
     * ({@code recvmsg(2)} with {@code MSG_TRUNC}), waiting until one arrives or {@code timeoutNanos} has passed.
     *
     * <p>Completes with the datagram's full length, which is greater than {@code buffer.byteSize()} when the
     * datagram was truncated to the buffer (see the class comment: this is how truncation is reported), or
     * {@code -errno}: {@code -ETIMEDOUT} when the deadline passed first (no datagram was taken; the socket stays
     * usable); {@code -ECONNREFUSED} on a connected socket after the peer refused an earlier datagram (an ICMP port
     * unreachable, reported once); 0 with no datagram after {@link AioShutdown#READ}; {@code -EINVAL} for a TCP
     * socket, {@code -ENOTSOCK} for a file or eventfd; {@code -EBADF} for an unknown or closed handle;
     * {@code -ECANCELED} as every operation.
     *
     * @param handle       a datagram handle of this instance
     * @param buffer       writable native memory for the datagram, owned by the adapter until completion
     * @param sender       where to write the sender's address, owned by the adapter until completion; null when
     *                     it is not wanted
     * @param timeoutNanos the deadline in nanoseconds from submission, or 0 for none
     * @param attachment   handed back to the completion; may be null
     * @param completion   called once with the result
     * @param <A>          the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code buffer} or {@code completion} is null
     * @throws IllegalArgumentException if {@code buffer} is a heap segment or a read-only view, or
     *                                  {@code timeoutNanos < 0}
     * @throws IllegalStateException    if an arena is closed, or this instance is closed
     */
    <A> long receive(int handle, MemorySegment buffer, AioSocketAddress sender, long timeoutNanos, A attachment,
                     AioCompletion<? super A> completion);
}
