package dev.aioops.uring.ring;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;

/**
 * Opening a UDP socket: {@code socket}, {@code bind} and, for a connected one, {@code connect}, as plain system
 * calls on the loop (none of them waits for a UDP socket; {@code IORING_OP_BIND} arrived only in 6.11). Stateless;
 * callers pass the loop's errno segment and 64 bytes of scratch memory.
 */
public final class DatagramSockets {

    private DatagramSockets() {
    }

    /**
     * A UDP socket of {@code bind}'s family, bound, and connected when {@code connectTo} is given.
     *
     * @param errno     the caller's errno capture segment
     * @param scratch   64 bytes of scratch memory
     * @param bind      the local address
     * @param connectTo the peer, or null
     * @return the descriptor, or {@code -errno} (nothing left open)
     */
    public static int open(MemorySegment errno, MemorySegment scratch, InetSocketAddress bind,
                           InetSocketAddress connectTo) {
        int fd = LibC.socket(errno, Sockets.family(bind), UringLayout.SOCK_DGRAM | UringLayout.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return fd;
        }
        MemorySegment address = scratch.asSlice(8, Sockaddrs.MAX_SIZE);
        int r = LibC.bind(errno, fd, address, Sockaddrs.encode(bind, address, 0));
        if (r >= 0 && connectTo != null) {
            r = LibC.connect(errno, fd, address, Sockaddrs.encode(connectTo, address, 0));
        }
        if (r < 0) {
            LibC.close(fd);
            return r;
        }
        return fd;
    }
}
