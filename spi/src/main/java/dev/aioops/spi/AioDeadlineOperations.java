package dev.aioops.spi;

import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;

/**
 * Operations with a deadline (the contract's second edition): a read, write, readv, writev, accept or connect
 * that gives up when it has not finished within {@code timeoutNanos}, so that a protocol can bound how long it
 * waits for a peer without a timer and a cancel of its own.
 *
 * <p><b>Threads, ownership and results</b> as for the same operation without a deadline: any thread may submit,
 * the completion runs once on the loop, the buffer or vector belongs to the adapter until then, I/O failures are
 * {@code -errno} results and misuse throws at once. The deadline is measured from submission on a monotonic
 * clock; it is not a deadline for each byte.
 *
 * <p><b>Which result wins.</b> The operation completes <b>exactly once</b>, with the first of:
 * <ul>
 *   <li>its real result, when it finishes before the deadline (also when it finishes at about the same time and
 *       the kernel or the loop saw the result first);</li>
 *   <li>{@code -ETIMEDOUT} ({@link AioErrno#ETIMEDOUT}) when the deadline passes first: the operation is
 *       withdrawn and has transferred nothing (a socket read leaves the bytes in the socket, a later read gets
 *       them; the handle stays usable);</li>
 *   <li>{@code -ECANCELED} when it is cancelled ({@link AioOperations#cancel(long)}) or its handle or this
 *       instance is closed before either.</li>
 * </ul>
 * A deadline marks an operation timed out only while it can still be withdrawn. On io_uring the loop cancels it
 * in the kernel when it is due ({@code IORING_OP_ASYNC_CANCEL}), and the kernel decides. On the adapters that perform file
 * operations on a thread pool (epoll, Vert.x native), a file read or write a pool thread has already started
 * cannot be interrupted: it completes with its real result when the system call returns, however late; one still
 * queued is withdrawn and completes with {@code -ETIMEDOUT}. Deadlines are for sockets above all: a regular file
 * never makes a read wait for a peer.
 *
 * <p><b>Misuse.</b> {@code timeoutNanos} must be positive ({@link IllegalArgumentException} otherwise); other
 * arguments are checked as for the operation without a deadline.
 */
public interface AioDeadlineOperations {

    /**
     * {@link AioOperations#read} that completes with {@code -ETIMEDOUT} if it has not finished within
     * {@code timeoutNanos}.
     *
     * @param handle       a file, socket or eventfd handle of this instance
     * @param buffer       a native segment, owned by the adapter until completion
     * @param offset       a file position {@code >= 0}, or {@link AioOperations#STREAM} for the current position
     * @param timeoutNanos the deadline, in nanoseconds from submission; {@code > 0}
     * @param attachment   handed back to the completion; may be null
     * @param completion   called once with the result: as for {@link AioOperations#read}, or {@code -ETIMEDOUT}
     * @param <A>          the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code buffer} or {@code completion} is null
     * @throws IllegalArgumentException if {@code timeoutNanos <= 0}, or as for {@link AioOperations#read}
     * @throws IllegalStateException    if the buffer's arena is closed, or this instance is closed
     */
    <A> long read(int handle, MemorySegment buffer, long offset, long timeoutNanos, A attachment,
                  AioCompletion<? super A> completion);

    /**
     * {@link AioOperations#write} that completes with {@code -ETIMEDOUT} if it has not finished within
     * {@code timeoutNanos}: for a socket, when its send buffer has had no room for that long.
     *
     * @param handle       a file, socket or eventfd handle of this instance
     * @param buffer       a native segment, owned by the adapter until completion
     * @param offset       a file position {@code >= 0}, or {@link AioOperations#STREAM} for the current position
     * @param timeoutNanos the deadline, in nanoseconds from submission; {@code > 0}
     * @param attachment   handed back to the completion; may be null
     * @param completion   called once with the result: as for {@link AioOperations#write}, or {@code -ETIMEDOUT}
     * @param <A>          the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code buffer} or {@code completion} is null
     * @throws IllegalArgumentException if {@code timeoutNanos <= 0}, or as for {@link AioOperations#write}
     * @throws IllegalStateException    if the buffer's arena is closed, or this instance is closed
     */
    <A> long write(int handle, MemorySegment buffer, long offset, long timeoutNanos, A attachment,
                   AioCompletion<? super A> completion);

    /**
     * {@link AioVectoredOperations#readv} that completes with {@code -ETIMEDOUT} if it has not finished within
     * {@code timeoutNanos}.
     *
     * @param handle       a file or socket handle of this instance
     * @param vector       at least one writable native segment, owned by the adapter until completion
     * @param offset       a file position {@code >= 0}, or {@link AioOperations#STREAM} for the current position
     * @param timeoutNanos the deadline, in nanoseconds from submission; {@code > 0}
     * @param attachment   handed back to the completion; may be null
     * @param completion   called once with the result: as for {@link AioVectoredOperations#readv}, or
     *                     {@code -ETIMEDOUT}
     * @param <A>          the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code vector} or {@code completion} is null
     * @throws IllegalArgumentException if {@code timeoutNanos <= 0}, or as for {@link AioVectoredOperations#readv}
     * @throws IllegalStateException    if a segment's arena is closed, or this instance is closed
     */
    <A> long readv(int handle, AioVector vector, long offset, long timeoutNanos, A attachment,
                   AioCompletion<? super A> completion);

    /**
     * {@link AioVectoredOperations#writev} that completes with {@code -ETIMEDOUT} if it has not finished within
     * {@code timeoutNanos}.
     *
     * @param handle       a file or socket handle of this instance
     * @param vector       at least one native segment, owned by the adapter until completion
     * @param offset       a file position {@code >= 0}, or {@link AioOperations#STREAM} for the current position
     * @param timeoutNanos the deadline, in nanoseconds from submission; {@code > 0}
     * @param attachment   handed back to the completion; may be null
     * @param completion   called once with the result: as for {@link AioVectoredOperations#writev}, or
     *                     {@code -ETIMEDOUT}
     * @param <A>          the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code vector} or {@code completion} is null
     * @throws IllegalArgumentException if {@code timeoutNanos <= 0}, or as for {@link AioVectoredOperations#writev}
     * @throws IllegalStateException    if a segment's arena is closed, or this instance is closed
     */
    <A> long writev(int handle, AioVector vector, long offset, long timeoutNanos, A attachment,
                    AioCompletion<? super A> completion);

    /**
     * {@link AioOperations#accept} that completes with {@code -ETIMEDOUT} if no connection has been accepted
     * within {@code timeoutNanos}; the listening socket stays open and usable.
     *
     * @param listenHandle a listening socket handle of this instance
     * @param timeoutNanos the deadline, in nanoseconds from submission; {@code > 0}
     * @param attachment   handed back to the completion; may be null
     * @param completion   called once with the new connection's handle, {@code -errno}, or {@code -ETIMEDOUT}
     * @param <A>          the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code completion} is null
     * @throws IllegalArgumentException if {@code timeoutNanos <= 0}
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long accept(int listenHandle, long timeoutNanos, A attachment, AioCompletion<? super A> completion);

    /**
     * {@link AioOperations#connect} that completes with {@code -ETIMEDOUT} if the connection has not been
     * established within {@code timeoutNanos}; the half-open socket is then closed and no handle is returned.
     *
     * @param address      a resolved {@link java.net.InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress},
     *                     as for {@link AioOperations#connect}
     * @param timeoutNanos the deadline, in nanoseconds from submission; {@code > 0}
     * @param attachment   handed back to the completion; may be null
     * @param completion   called once with the connected socket's handle, {@code -errno}, or {@code -ETIMEDOUT}
     * @param <A>          the attachment type
     * @return a token for {@link AioOperations#cancel(long)}, never 0
     * @throws NullPointerException     if {@code address} or {@code completion} is null
     * @throws IllegalArgumentException if {@code timeoutNanos <= 0}, or the address is refused as by
     *                                  {@link AioOperations#connect}
     * @throws IllegalStateException    if this instance is closed
     */
    <A> long connect(SocketAddress address, long timeoutNanos, A attachment,
                     AioCompletion<? super A> completion);
}
