package dev.aioops.epoll.internal;

import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;

/** A listening TCP or Unix socket with its queue of waiting accepts. Loop-confined. */
final class ListenResource extends Resource {

    final ServerSocketChannel channel;
    /** A Unix domain socket, whose connections are Unix sockets too. */
    final boolean unix;
    final OpList acceptors = new OpList();
    SelectionKey key;

    ListenResource(ServerSocketChannel channel, boolean unix) {
        this.channel = channel;
        this.unix = unix;
    }

    int interest() {
        return acceptors.isEmpty() ? 0 : SelectionKey.OP_ACCEPT;
    }
}
