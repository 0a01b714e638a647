package dev.aioops.uring.ring;

import dev.aioops.spi.AioException;
import dev.aioops.spi.AioListenOptions;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.internal.SocketChecks;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The socket system calls that have no io_uring opcode on every supported kernel ({@code IORING_OP_BIND} and
 * {@code LISTEN} arrived in 6.11): creating a listener, {@code TCP_NODELAY}, and the local address. Plain,
 * non-blocking-in-practice calls made on the loop (binding a Unix socket creates its file, a quick metadata
 * operation). Stateless; callers pass the loop's errno segment and {@link #SCRATCH_SIZE} bytes of scratch memory.
 */
public final class Sockets {

    /** The scratch memory {@link #listen} and {@link #noDelay} need: an option's value, then a sockaddr at 8. */
    public static final int SCRATCH_SIZE = 8 + Sockaddrs.MAX_SIZE + 2;

    private Sockets() {
    }

    /**
     * The address family of an address.
     *
     * @param address a resolved {@link InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}
     * @return {@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX}
     */
    public static int family(SocketAddress address) {
        return Sockaddrs.family(address);
    }

    /**
     * A stream socket (TCP, or Unix domain) for an address's family.
     *
     * @param errno   the caller's errno capture segment
     * @param address the address it will bind or connect to
     * @return the descriptor, or {@code -errno}
     */
    public static int stream(MemorySegment errno, SocketAddress address) {
        return LibC.socket(errno, family(address), UringLayout.SOCK_STREAM | UringLayout.SOCK_CLOEXEC, 0);
    }

    /**
     * socket, {@code SO_REUSEADDR} (TCP only: it means nothing to a Unix socket), bind, listen.
     *
     * @param errno   the caller's errno capture segment
     * @param scratch {@link #SCRATCH_SIZE} bytes of scratch memory
     * @param address the address to bind
     * @param backlog the accept backlog
     * @return the listening descriptor, or {@code -errno} (nothing left open)
     */
    public static int listen(MemorySegment errno, MemorySegment scratch, SocketAddress address, int backlog) {
        return listen(errno, scratch, address, backlog, AioListenOptions.defaults());
    }

    /**
     * socket, the options ({@link #beforeBind}), bind, listen.
     *
     * @param errno   the caller's errno capture segment
     * @param scratch {@link #SCRATCH_SIZE} bytes of scratch memory
     * @param address the address to bind
     * @param backlog the accept backlog
     * @param options the options to set before the bind
     * @return the listening descriptor, or {@code -errno} (nothing left open): {@code -EOPNOTSUPP} without a
     *         socket for an option that does not apply to a Unix socket
     */
    public static int listen(MemorySegment errno, MemorySegment scratch, SocketAddress address, int backlog,
                             AioListenOptions options) {
        int refused = SocketChecks.listenRefusal(address, options);
        if (refused != 0) {
            return refused;
        }
        int fd = stream(errno, address);
        if (fd < 0) {
            return fd;
        }
        int r = beforeBind(errno, scratch, fd, address, options);
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
     * Sets a new listener's options before its bind: {@code SO_REUSEADDR} on TCP unless the options say otherwise
     * (it means nothing to a Unix socket), then each option of {@code options} ({@code setsockopt(2)}, which never
     * waits). The caller has refused options that do not apply to a Unix socket.
     *
     * @param errno   the caller's errno capture segment
     * @param scratch {@link #SCRATCH_SIZE} bytes of scratch memory
     * @param fd      the socket, not bound yet
     * @param address the address it will bind
     * @param options the options
     * @return 0, or the {@code -errno} of the first option the kernel refused
     */
    public static int beforeBind(MemorySegment errno, MemorySegment scratch, int fd, SocketAddress address,
                                 AioListenOptions options) {
        if (SocketChecks.defaultReuseAddress(address, options)) {
            int r = LibC.setsockoptInt(errno, fd, UringLayout.SOL_SOCKET, UringLayout.SO_REUSEADDR, scratch, 1);
            if (r < 0) {
                return r;
            }
        }
        for (AioSocketOption option : options.options()) {
            try {
                SocketOptions.set(fd, option, options.value(option));
            } catch (AioException refused) {
                return -refused.errno();
            }
        }
        return 0;
    }

    /**
     * Sets {@code TCP_NODELAY}; a failure (not a TCP socket) is ignored. Not for a Unix socket, which has no such
     * option: the caller skips the system call.
     *
     * @param errno   the caller's errno capture segment
     * @param scratch {@link #SCRATCH_SIZE} bytes of scratch memory
     * @param fd      the socket
     */
    public static void noDelay(MemorySegment errno, MemorySegment scratch, int fd) {
        LibC.setsockoptInt(errno, fd, UringLayout.IPPROTO_TCP, UringLayout.TCP_NODELAY, scratch, 1);
    }

    /**
     * The address a socket is bound to ({@code getsockname(2)}, a non-blocking call); any thread.
     *
     * @param fd the socket
     * @return its local address: an {@link InetSocketAddress}, or a {@link java.net.UnixDomainSocketAddress} (an
     *         empty path when the socket is not bound)
     * @throws IOException an {@code AioException} with the errno when the call fails
     */
    public static SocketAddress localAddress(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment address = a.allocate(Sockaddrs.MAX_SIZE, 8);
            MemorySegment length = a.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, Sockaddrs.MAX_SIZE);
            int r = LibC.getsockname(LibC.newErrnoState(a), fd, address, length);
            if (r < 0) {
                throw new AioException(-r, "getsockname of handle " + fd);
            }
            return Sockaddrs.decode(address, length.get(JAVA_INT, 0));
        }
    }
}
