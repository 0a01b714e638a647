package dev.aioops.epoll.internal;

import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;

/** A listening TCP socket with its queue of waiting accepts. Loop-confined. */
final class ListenResource extends Resource {

    final ServerSocketChannel channel;
    final OpList acceptors = new OpList();
    SelectionKey key;

    ListenResource(ServerSocketChannel channel) {
        this.channel = channel;
    }

    int interest() {
        return acceptors.isEmpty() ? 0 : SelectionKey.OP_ACCEPT;
    }
}
