package dev.aioops.uring.internal;

import dev.aioops.spi.AioListenOptions;
import dev.aioops.uring.ring.Sockaddrs;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;

/**
 * The state of a listen done by the ring ({@code IORING_OP_SOCKET}, then {@code BIND} and {@code LISTEN} on Linux
 * 6.11+), one step per completion under the same op slot and token, so that the loop makes no blocking system
 * call. Once per listener, never on a per-connection path. Loop thread only.
 */
final class ListenSteps {

    final SocketAddress address;
    final int backlog;
    /** Set between the socket and the bind. */
    final AioListenOptions options;
    /** 0: socket submitted; 1: bind submitted; 2: listen submitted. */
    int stage;
    /** The new socket once created, else -1; closed by the loop if a later step fails. */
    int fd = -1;
    /** The length of the {@code sockaddr} {@link #encodeSockaddr} encoded. */
    int sockaddrLength;
    /** A Unix address's {@code sockaddr_un}, too large for the op slot's scratch; null for an IP address. */
    private PathMemory sockaddr;

    ListenSteps(SocketAddress address, int backlog, AioListenOptions options) {
        this.address = address;
        this.backlog = backlog;
        this.options = options;
    }

    /** Whether the kernel has every opcode of the ring's listen. */
    static boolean supported(OpcodeSupport kernel) {
        return kernel.hasAll(UringLayout.OP_SOCKET, UringLayout.OP_BIND, UringLayout.OP_LISTEN);
    }

    /**
     * Encodes the bind's {@code sockaddr} where it stays valid until the listen has finished: in the op slot's
     * scratch when it fits (an IP address), else in memory of its own, freed by {@link #finished()}.
     *
     * @param scratch the op slot's scratch chunk
     * @param at      the slot's offset in {@code scratch}
     * @return the {@code sockaddr}'s address; its length in {@link #sockaddrLength}
     */
    long encodeSockaddr(MemorySegment scratch, long at) {
        MemorySegment into = scratch;
        long offset = at;
        if (Sockaddrs.size(address) > Sockaddrs.MAX_INET_SIZE) {
            sockaddr = new PathMemory(null);
            into = sockaddr.allocate(Sockaddrs.MAX_SIZE);
            offset = 0;
        }
        sockaddrLength = Sockaddrs.encode(address, into, offset);
        return into.address() + offset;
    }

    /** Frees the memory of a Unix {@code sockaddr} once the listen has finished (after its last CQE). */
    void finished() {
        if (sockaddr != null) {
            sockaddr.close();
            sockaddr = null;
        }
    }
}
