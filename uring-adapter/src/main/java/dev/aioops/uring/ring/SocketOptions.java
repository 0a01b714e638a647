package dev.aioops.uring.ring;

import dev.aioops.spi.AioException;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioSocketOption;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The contract's socket options on a raw descriptor, {@code setsockopt(2)} and {@code getsockopt(2)} (which never
 * wait), and the peer's address ({@code getpeername(2)}). Stateless; any thread. The caller has checked the value
 * ({@code SocketChecks}) and that the descriptor is a socket of its own, and keeps it open during the call.
 */
public final class SocketOptions {

    private SocketOptions() {
    }

    /**
     * {@code shutdown(2)}'s {@code how} for a direction.
     *
     * @param how the direction
     * @return {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}
     */
    public static int how(AioShutdown how) {
        return switch (how) {
            case READ -> UringLayout.SHUT_RD;
            case WRITE -> UringLayout.SHUT_WR;
            case BOTH -> UringLayout.SHUT_RDWR;
        };
    }

    private static int level(AioSocketOption option) {
        return switch (option) {
            case TCP_NODELAY, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT -> UringLayout.IPPROTO_TCP;
            case SO_KEEPALIVE, SO_RCVBUF, SO_SNDBUF, SO_LINGER, SO_REUSEPORT, SO_REUSEADDR -> UringLayout.SOL_SOCKET;
        };
    }

    private static int name(AioSocketOption option) {
        return switch (option) {
            case TCP_NODELAY -> UringLayout.TCP_NODELAY;
            case TCP_KEEPIDLE -> UringLayout.TCP_KEEPIDLE;
            case TCP_KEEPINTVL -> UringLayout.TCP_KEEPINTVL;
            case TCP_KEEPCNT -> UringLayout.TCP_KEEPCNT;
            case SO_KEEPALIVE -> UringLayout.SO_KEEPALIVE;
            case SO_RCVBUF -> UringLayout.SO_RCVBUF;
            case SO_SNDBUF -> UringLayout.SO_SNDBUF;
            case SO_LINGER -> UringLayout.SO_LINGER;
            case SO_REUSEPORT -> UringLayout.SO_REUSEPORT;
            case SO_REUSEADDR -> UringLayout.SO_REUSEADDR;
        };
    }

    /**
     * Sets an option.
     *
     * @param fd     the socket
     * @param option the option
     * @param value  its checked value; for {@code SO_LINGER} seconds, 0 or -1 (off)
     * @throws AioException with the kernel's errno
     */
    public static void set(int fd, AioSocketOption option, int value) throws AioException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment bytes = a.allocate(UringLayout.LINGER_SIZE, 4);
            int length = 4;
            if (option == AioSocketOption.SO_LINGER) {
                bytes.set(JAVA_INT, UringLayout.LINGER_ONOFF, value >= 0 ? 1 : 0);
                bytes.set(JAVA_INT, UringLayout.LINGER_SECONDS, Math.max(value, 0));
                length = UringLayout.LINGER_SIZE;
            } else {
                bytes.set(JAVA_INT, 0, value);
            }
            int r = LibC.setsockopt(LibC.newErrnoState(a), fd, level(option), name(option), bytes, length);
            if (r < 0) {
                throw new AioException(-r, "setsockopt " + option + " of handle " + fd);
            }
        }
    }

    /**
     * Reads an option.
     *
     * @param fd     the socket
     * @param option the option
     * @return its value: flags 1 or 0, {@code SO_LINGER} seconds or -1 when off
     * @throws AioException with the kernel's errno
     */
    public static int get(int fd, AioSocketOption option) throws AioException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment bytes = a.allocate(UringLayout.LINGER_SIZE, 4);
            MemorySegment length = a.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, UringLayout.LINGER_SIZE);
            int r = LibC.getsockopt(LibC.newErrnoState(a), fd, level(option), name(option), bytes, length);
            if (r < 0) {
                throw new AioException(-r, "getsockopt " + option + " of handle " + fd);
            }
            if (option == AioSocketOption.SO_LINGER) {
                return bytes.get(JAVA_INT, UringLayout.LINGER_ONOFF) == 0 ? -1
                        : bytes.get(JAVA_INT, UringLayout.LINGER_SECONDS);
            }
            int value = bytes.get(JAVA_INT, 0);
            return option.isBoolean() ? (value != 0 ? 1 : 0) : value;
        }
    }

    /**
     * The peer of a connected socket ({@code getpeername(2)}).
     *
     * @param fd the socket
     * @return the peer's address: an {@link java.net.InetSocketAddress}, or a
     *         {@link java.net.UnixDomainSocketAddress} (an empty path for a peer that is not bound)
     * @throws IOException an {@code AioException} with the errno ({@code ENOTCONN} when not connected)
     */
    public static SocketAddress remoteAddress(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment address = a.allocate(Sockaddrs.MAX_SIZE, 8);
            MemorySegment length = a.allocate(JAVA_INT);
            length.set(JAVA_INT, 0, Sockaddrs.MAX_SIZE);
            int r = LibC.getpeername(LibC.newErrnoState(a), fd, address, length);
            if (r < 0) {
                throw new AioException(-r, "getpeername of handle " + fd);
            }
            return Sockaddrs.decode(address, length.get(JAVA_INT, 0));
        }
    }
}
