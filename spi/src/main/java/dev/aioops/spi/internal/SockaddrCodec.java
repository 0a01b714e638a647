package dev.aioops.spi.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

/**
 * {@code struct sockaddr_in} and {@code sockaddr_in6} ({@code netinet/in.h}) to and from
 * {@link InetSocketAddress}: family ({@code u16}, native order) at 0, port ({@code u16}, big-endian) at 2; IPv4: the
 * address at 4, zeros to 16; IPv6: flowinfo at 4, the address at 8, scope id at 24. The layout of
 * {@link dev.aioops.spi.AioSocketAddress}, shared with the adapters built on Java channels, which translate the
 * addresses their channels give and take. Stateless; any thread, on memory the caller may access.
 */
public final class SockaddrCodec {

    /** {@code AF_INET}. */
    public static final int AF_INET = 2;
    /** {@code AF_INET6}. */
    public static final int AF_INET6 = 10;
    /** {@code sizeof(struct sockaddr_in)}. */
    public static final int IN_SIZE = 16;
    /** {@code sizeof(struct sockaddr_in6)}. */
    public static final int IN6_SIZE = 28;

    private static final ValueLayout.OfShort PORT = JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private SockaddrCodec() {
    }

    /**
     * Writes an address.
     *
     * @param address a resolved address
     * @param into    at least {@link #IN6_SIZE} bytes
     * @return the length of what was written: {@link #IN_SIZE} or {@link #IN6_SIZE}
     */
    public static int encode(InetSocketAddress address, MemorySegment into) {
        InetAddress ip = address.getAddress();
        byte[] bytes = ip.getAddress();
        int length = ip instanceof Inet4Address ? IN_SIZE : IN6_SIZE;
        into.asSlice(0, length).fill((byte) 0);
        into.set(JAVA_SHORT_UNALIGNED, 0, (short) (length == IN_SIZE ? AF_INET : AF_INET6));
        into.set(PORT, 2, (short) address.getPort());
        MemorySegment.copy(bytes, 0, into, JAVA_BYTE, length == IN_SIZE ? 4 : 8, bytes.length);
        if (ip instanceof Inet6Address v6) {
            into.set(JAVA_INT_UNALIGNED, 24, v6.getScopeId());
        }
        return length;
    }

    /**
     * The family of an address written by {@link #encode} or by the kernel.
     *
     * @param from the {@code sockaddr}
     * @return {@link #AF_INET}, {@link #AF_INET6}, or what else the memory holds (0 when nothing was written)
     */
    public static int family(MemorySegment from) {
        return Short.toUnsignedInt(from.get(JAVA_SHORT_UNALIGNED, 0));
    }

    /**
     * The length of an address: what a system call that reads it is given.
     *
     * @param from the {@code sockaddr}
     * @return {@link #IN_SIZE}, {@link #IN6_SIZE}, or 0 for another family
     */
    public static int length(MemorySegment from) {
        return switch (family(from)) {
            case AF_INET -> IN_SIZE;
            case AF_INET6 -> IN6_SIZE;
            default -> 0;
        };
    }

    /**
     * The port of an address.
     *
     * @param from the {@code sockaddr}
     * @return 0 to 65535
     */
    public static int port(MemorySegment from) {
        return Short.toUnsignedInt(from.get(PORT, 2));
    }

    /**
     * Reads an address.
     *
     * @param from the {@code sockaddr}
     * @return the address (an IPv6 address with a scope id keeps it; an IPv4-mapped one is IPv4)
     * @throws IllegalStateException if the family is neither {@code AF_INET} nor {@code AF_INET6}
     */
    public static InetSocketAddress decode(MemorySegment from) {
        int family = family(from);
        try {
            if (family == AF_INET) {
                byte[] ip = new byte[4];
                MemorySegment.copy(from, JAVA_BYTE, 4, ip, 0, 4);
                return new InetSocketAddress(InetAddress.getByAddress(ip), port(from));
            }
            if (family == AF_INET6) {
                byte[] ip = new byte[16];
                MemorySegment.copy(from, JAVA_BYTE, 8, ip, 0, 16);
                int scope = from.get(JAVA_INT_UNALIGNED, 24);
                // As the JDK's channels give it: an IPv4-mapped address (a dual-stack socket's IPv4 peer) as IPv4.
                InetAddress address = scope == 0 ? InetAddress.getByAddress(ip)
                        : Inet6Address.getByAddress(null, ip, scope);
                return new InetSocketAddress(address, port(from));
            }
        } catch (UnknownHostException impossible) {
            // Thrown only for an array of the wrong length.
            throw new IllegalStateException(impossible);
        }
        throw new IllegalStateException("the address holds family " + family + ", neither AF_INET nor AF_INET6"
                + (family == 0 ? ": nothing was written to it yet" : ""));
    }
}
