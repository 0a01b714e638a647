package dev.aioops.epoll.internal;

import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;

/**
 * A UDP socket with its queues of waiting receives and sends. Loop-confined, but for the channel's options and
 * addresses, which any thread may read.
 */
final class DatagramResource extends Resource {

    final DatagramChannel channel;
    /** Connected at open: sends take no target, and receives come from the peer only. */
    final boolean connected;
    final boolean ipv6;
    final OpList receivers = new OpList();
    final OpList senders = new OpList();
    SelectionKey key;
    /**
     * Shut as {@code shutdown(2)} would: the JDK's channel has no shutdown of its own, so a receive that finds no
     * datagram then completes with 0 and a send with {@code EPIPE}, as Linux answers.
     */
    boolean inputShut;
    boolean outputShut;

    DatagramResource(DatagramChannel channel, boolean connected, boolean ipv6) {
        this.channel = channel;
        this.connected = connected;
        this.ipv6 = ipv6;
    }

    int interest() {
        return (receivers.isEmpty() ? 0 : SelectionKey.OP_READ) | (senders.isEmpty() ? 0 : SelectionKey.OP_WRITE);
    }
}
