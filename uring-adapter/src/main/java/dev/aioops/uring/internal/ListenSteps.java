package dev.aioops.uring.internal;

import dev.aioops.uring.ring.UringLayout;

import java.net.InetSocketAddress;

/**
 * The state of a listen done by the ring ({@code IORING_OP_SOCKET}, then {@code BIND} and {@code LISTEN} on Linux
 * 6.11+), one step per completion under the same op slot and token, so that the loop makes no blocking system
 * call. Once per listener, never on a per-connection path. Loop thread only.
 */
final class ListenSteps {

    final InetSocketAddress address;
    final int backlog;
    /** 0: socket submitted; 1: bind submitted; 2: listen submitted. */
    int stage;
    /** The new socket once created, else -1; closed by the loop if a later step fails. */
    int fd = -1;

    ListenSteps(InetSocketAddress address, int backlog) {
        this.address = address;
        this.backlog = backlog;
    }

    /** Whether the kernel has every opcode of the ring's listen. */
    static boolean supported(OpcodeSupport kernel) {
        return kernel.hasAll(UringLayout.OP_SOCKET, UringLayout.OP_BIND, UringLayout.OP_LISTEN);
    }
}
