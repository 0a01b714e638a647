package dev.aioops.uring.ring;

import dev.aioops.spi.AioException;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The socket system calls that have no io_uring opcode on every supported kernel ({@code IORING_OP_BIND} and
 * {@code LISTEN} arrived in 6.11): creating a listener, {@code TCP_NODELAY}, and the local address. Plain,
 * non-blocking-in-practice calls made on the loop. Stateless; callers pass the loop's errno segment and 64 bytes of
 * scratch memory.
 */
public final class Sockets {

    private Sockets() {
    }

    /**
     * The address family of an address.
     *
     * @param address a resolved address
     * @return {@code AF_INET} or {@code AF_INET6}
     */
    public static int family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? UringLayout.AF_INET : UringLayout.AF_INET6;
    }

    /**
     * A TCP socket for an address's family.
     *
     * @param errno   the caller's errno capture segment
     * @param address the address it will bind or connect to
     * @return the descriptor, or {@code -errno}
     */
    public static int stream(MemorySegment errno, InetSocketAddress address) {
        return LibC.socket(errno, family(address), UringLayout.SOCK_STREAM | UringLayout.SOCK_CLOEXEC, 0);
    }

    /**
     * socket, {@code SO_REUSEADDR}, bind, listen.
     *
     * @param errno   the caller's errno capture segment
     * @param scratch 64 bytes of scratch memory
     * @param address the address to bind
     * @param backlog the accept backlog
     * @return the listening descriptor, or {@code -errno} (nothing left open)
     */
    public static int listen(MemorySegment errno, MemorySegment scratch, InetSocketAddress address, int backlog) {
        int fd = stream(errno, address);
        if (fd < 0) {
            return fd;
        }
        int r = LibC.setsockoptInt(errno, fd, UringLayout.SOL_SOCKET, UringLayout.SO_REUSEADDR, scratch, 1);
        if (r >= 0) {
            int length = Sockaddrs.encode(address, scratch, 8);
            r = LibC.bind(errno, fd, scratch.asSlice(8), length);
        }
        if (r >= 0) {
            r = LibC.listen(errno, fd, backlog);
        }
        if (r < 0) {
            LibC.close(fd);
            return r;
        }
        return fd;
    }

    /**
     * Sets {@code TCP_NODELAY}; a failure (not a TCP socket) is ignored.
     *
     * @param errno   the caller's errno capture segment
     * @param scratch 64 bytes of scratch memory
     * @param fd      the socket
     */
    public static void noDelay(MemorySegment errno, MemorySegment scratch, int fd) {
        LibC.setsockoptInt(errno, fd, UringLayout.IPPROTO_TCP, UringLayout.TCP_NODELAY, scratch, 1);
    }

    /**
     * The address a socket is bound to ({@code getsockname(2)}, a non-blocking call); any thread.
     *
     * @param fd the socket
     * @return its local address
     * @throws IOException an {@code AioException} with the errno when the call fails
     */
    public static InetSocketAddress localAddress(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment address = a.allocate(Sockaddrs.MAX_SIZE, 8);
            MemorySegment length = a.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, Sockaddrs.MAX_SIZE);
            int r = LibC.getsockname(LibC.newErrnoState(a), fd, address, length);
            if (r < 0) {
                throw new AioException(-r, "getsockname of handle " + fd);
            }
            return Sockaddrs.decode(address);
        }
    }
}
