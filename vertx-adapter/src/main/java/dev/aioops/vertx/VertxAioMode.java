package dev.aioops.vertx;

/** How a {@link VertxAioOperations} performs its operations. */
public enum VertxAioMode {

    /**
     * Through Vert.x's own APIs: sockets with {@code NetServer}/{@code NetClient}/{@code NetSocket}, files with
     * {@code FileChannel} on a Vert.x worker executor, timers and eventfds on the context. Works on every Vert.x
     * transport (NIO, epoll, io_uring).
     */
    NATIVE,

    /**
     * Operations submitted as io_uring entries to the ring of the context's own Netty io_uring event loop,
     * completing on that event-loop thread without a worker pool or an extra thread. Picked when Vert.x runs on
     * its io_uring transport.
     */
    SHARED_RING
}
