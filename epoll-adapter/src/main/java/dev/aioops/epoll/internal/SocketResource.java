package dev.aioops.epoll.internal;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A connected (or connecting) TCP or Unix socket with its queues of waiting reads and writes. Loop-confined. */
final class SocketResource extends Resource {

    final SocketChannel channel;
    /** A Unix domain socket: only the options of {@code AioSocketOption.appliesToUnixSocket()}. */
    final boolean unix;
    final OpList readers = new OpList();
    final OpList writers = new OpList();
    Op connectOp;
    SelectionKey key;
    /** Set by a shutdown of the output: the JDK then fails writes as a closed channel, Linux with EPIPE. */
    boolean outputShut;
    /** The zero-copy send that owns the output now ({@link SendFileDriver}); writes queue behind it. */
    Op sending;
    /** The handle's close, waiting for {@link #sending}'s step to come back from the file pool. */
    Op closeOp;

    SocketResource(SocketChannel channel, boolean unix) {
        this.channel = channel;
        this.unix = unix;
    }

    int interest() {
        return (readers.isEmpty() ? 0 : SelectionKey.OP_READ)
                | ((sending != null ? sending.sendFile.waiting : !writers.isEmpty()) ? SelectionKey.OP_WRITE : 0)
                | (connectOp == null ? 0 : SelectionKey.OP_CONNECT);
    }
}
