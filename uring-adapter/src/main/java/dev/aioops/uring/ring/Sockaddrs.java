package dev.aioops.uring.ring;

import dev.aioops.spi.internal.Checks;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct sockaddr_in} / {@code sockaddr_in6} / {@code sockaddr_un} to and from {@link InetSocketAddress} and
 * {@link UnixDomainSocketAddress} ({@code netinet/in.h}: family u16 at 0, port u16 big-endian at 2; IPv4 address
 * at 4; IPv6 flowinfo at 4, address at 8, scope id at 24; {@code sys/un.h}: the path at 2, NUL-terminated, in 108
 * bytes). Stateless.
 */
public final class Sockaddrs {

    /** Room for the largest of the three, {@code sockaddr_un}. */
    public static final int MAX_SIZE = UringLayout.SOCKADDR_UN_SIZE;
    /** Room for an IP address: what a {@code sockaddr_in6} needs. */
    public static final int MAX_INET_SIZE = UringLayout.SOCKADDR_IN6_SIZE;

    private Sockaddrs() {
    }

    /**
     * The address family of an address.
     *
     * @param address a resolved {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}
     * @return {@code AF_INET}, {@code AF_INET6} or {@code AF_UNIX}
     */
    public static int family(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress) {
            return UringLayout.AF_UNIX;
        }
        return ((InetSocketAddress) address).getAddress() instanceof Inet4Address ? UringLayout.AF_INET
                : UringLayout.AF_INET6;
    }

    /**
     * The size {@link #encode} needs for an address.
     *
     * @param address a resolved {@link InetSocketAddress} or a {@link UnixDomainSocketAddress}
     * @return at most {@link #MAX_SIZE}, and at most {@link #MAX_INET_SIZE} for an IP address
     */
    public static int size(SocketAddress address) {
        return switch (family(address)) {
            case UringLayout.AF_UNIX -> UringLayout.SOCKADDR_UN_SIZE;
            case UringLayout.AF_INET -> UringLayout.SOCKADDR_IN_SIZE;
            default -> UringLayout.SOCKADDR_IN6_SIZE;
        };
    }

    /**
     * Writes {@code address} into {@code into} at {@code offset}.
     *
     * @param address a resolved {@link InetSocketAddress}, or a {@link UnixDomainSocketAddress} whose path fits
     *                (as {@code Checks.address} checked)
     * @param into    memory with {@link #size(SocketAddress)} bytes from {@code offset}
     * @param offset  where the {@code sockaddr} starts
     * @return the length of the {@code sockaddr} written
     */
    public static int encode(SocketAddress address, MemorySegment into, long offset) {
        if (address instanceof UnixDomainSocketAddress unix) {
            byte[] path = Checks.unixPath(unix);
            into.asSlice(offset, UringLayout.SOCKADDR_UN_SIZE).fill((byte) 0);
            into.set(JAVA_SHORT, offset, (short) UringLayout.AF_UNIX);
            MemorySegment.copy(path, 0, into, JAVA_BYTE, offset + UringLayout.SOCKADDR_UN_PATH, path.length);
            // The family, the path and its NUL, as the kernel itself reports a bound path.
            return (int) UringLayout.SOCKADDR_UN_PATH + path.length + 1;
        }
        InetAddress ip = ((InetSocketAddress) address).getAddress();
        byte[] bytes = ip.getAddress();
        short port = (short) ((InetSocketAddress) address).getPort();
        if (ip instanceof Inet4Address) {
            into.asSlice(offset, UringLayout.SOCKADDR_IN_SIZE).fill((byte) 0);
            into.set(JAVA_SHORT, offset, (short) UringLayout.AF_INET);
            into.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), offset + 2, port);
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, into, offset + 4, 4);
            return UringLayout.SOCKADDR_IN_SIZE;
        }
        into.asSlice(offset, UringLayout.SOCKADDR_IN6_SIZE).fill((byte) 0);
        into.set(JAVA_SHORT, offset, (short) UringLayout.AF_INET6);
        into.set(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), offset + 2, port);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, into, offset + 8, 16);
        int scope = ip instanceof Inet6Address v6 ? v6.getScopeId() : 0;
        into.set(JAVA_INT.withByteAlignment(1), offset + 24, scope);
        return UringLayout.SOCKADDR_IN6_SIZE;
    }

    /**
     * Reads a {@code sockaddr} written by the kernel.
     *
     * @param from   the {@code sockaddr}
     * @param length the length the kernel reported ({@code getsockname(2)}'s and {@code getpeername(2)}'s
     *               {@code addrlen}), at most {@code from}'s size
     * @return an {@link InetSocketAddress}, or a {@link UnixDomainSocketAddress} (with an empty path for an unbound
     *         socket, as the JDK gives it)
     * @throws UnknownHostException if the family is neither IPv4, IPv6 nor Unix
     */
    public static SocketAddress decode(MemorySegment from, int length) throws UnknownHostException {
        int family = from.get(JAVA_SHORT, 0);
        if (family == UringLayout.AF_UNIX) {
            return UnixDomainSocketAddress.of(unixPath(from, length));
        }
        int port = Short.toUnsignedInt(from.get(JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN), 2));
        if (family == UringLayout.AF_INET) {
            byte[] ip = new byte[4];
            MemorySegment.copy(from, JAVA_BYTE, 4, ip, 0, 4);
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        }
        if (family == UringLayout.AF_INET6) {
            byte[] ip = new byte[16];
            MemorySegment.copy(from, JAVA_BYTE, 8, ip, 0, 16);
            int scope = from.get(JAVA_INT.withByteAlignment(1), 24);
            return new InetSocketAddress(Inet6Address.getByAddress(null, ip, scope), port);
        }
        throw new UnknownHostException("address family " + family + " is neither AF_INET, AF_INET6 nor AF_UNIX");
    }

    /**
     * The path of a {@code sockaddr_un}: up to its NUL or its length. An unbound socket has none (length 2), and
     * an abstract one (a leading NUL, which the JDK cannot name) reads as none too.
     */
    private static String unixPath(MemorySegment from, int length) {
        int end = (int) Math.min(Math.min(length, from.byteSize()), UringLayout.SOCKADDR_UN_SIZE);
        int n = 0;
        while (UringLayout.SOCKADDR_UN_PATH + n < end
                && from.get(JAVA_BYTE, UringLayout.SOCKADDR_UN_PATH + n) != 0) {
            n++;
        }
        byte[] path = new byte[n];
        MemorySegment.copy(from, JAVA_BYTE, UringLayout.SOCKADDR_UN_PATH, path, 0, n);
        return new String(path, StandardCharsets.UTF_8);
    }
}
