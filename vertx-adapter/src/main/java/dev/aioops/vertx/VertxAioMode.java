package dev.aioops.vertx;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioOpenOption;

/** How a {@link VertxAioOperations} performs its operations. */
public enum VertxAioMode {

    /**
     * Through Vert.x's own APIs: sockets with {@code NetServer}/{@code NetClient}/{@code NetSocket}, files with
     * {@code FileChannel} on a Vert.x worker executor, timers and eventfds on the context. Works on every Vert.x
     * transport (NIO, epoll, io_uring).
     *
     * <p><b>Limits</b>, all documented results rather than crashes:
     * {@link AioOpenOption#DIRECT} completes with {@code -EOPNOTSUPP}; {@link AioOpenOption#APPEND} together with
     * {@code READ} or {@code TRUNCATE} with {@code -EINVAL} ({@code FileChannel} refuses them); an 8-byte eventfd
     * write that would overflow the counter with {@code -EAGAIN} instead of blocking; a file operation that a worker
     * thread has started cannot be cancelled (its real result is delivered); a socket write that Netty holds
     * because the peer reads nothing ends at its deadline, cancel or close, but its bytes may still go out after
     * that (they are in Netty's outbound buffer, not the caller's memory); a listener whose {@code backlog} accepted
     * connections already wait closes further ones at once; two listens on one port (or Unix path) within one Vert.x
     * instance share it as Vert.x servers do, rather than failing with {@code -EADDRINUSE}; closing a listener stops
     * accepting at once but frees its port only when the connections it accepted are closed too (closing a Vert.x
     * server closes its connections). Unix domain sockets work on every transport of Vert.x 5 (the NIO transport's
     * through the JDK's), with two differences: a peer's half-close of a Unix connection ends the whole connection, so
     * a write after the peer's end of stream gives {@code -EPIPE} (Netty 4.2 keeps only TCP channels half-open on its
     * NIO and io_uring transports; {@link AioCapability#UNIX_HALF_CLOSE} is not offered); and Netty removes a
     * listener's socket file when the Vert.x server closes (once the handle and the connections it accepted are
     * closed), which the other adapters leave for the library to {@code unlink}: an {@code unlink} of it may then give
     * {@code -ENOENT}, and the path must not be listened on again before that server has closed.
     */
    NATIVE,

    /**
     * Operations submitted as io_uring entries to the ring of the context's own Netty io_uring event loop,
     * completing on that event-loop thread without a worker pool or an extra thread. Picked when Vert.x runs on
     * its io_uring transport.
     */
    SHARED_RING
}
