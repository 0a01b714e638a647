package dev.aioops.epoll.internal;

/**
 * What a handle names: a file, a socket, a listener, an eventfd or a datagram socket. The handle number and the
 * closed flag are read by any thread ({@link EpollAioOperations#signal}, {@code localAddress}); everything else is
 * loop-confined.
 */
abstract sealed class Resource permits FileResource, SocketResource, ListenResource, EventfdResource,
        DatagramResource {

    /** Set once by the handle table before the resource is published. */
    int handle = -1;

    /** Set on the loop when the handle is closed; read by other threads. */
    volatile boolean closed;
}
