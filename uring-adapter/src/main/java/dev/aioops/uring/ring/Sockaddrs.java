package dev.aioops.uring.ring;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * {@code struct sockaddr_in} / {@code sockaddr_in6} to and from {@link InetSocketAddress} ({@code netinet/in.h}:
 * family u16 at 0, port u16 big-endian at 2; IPv4 address at 4; IPv6 flowinfo at 4, address at 8, scope id at
 * 24). Stateless.
 */
public final class Sockaddrs {

    /** Room for the larger of the two. */
    public static final int MAX_SIZE = UringLayout.SOCKADDR_IN6_SIZE;

    private Sockaddrs() {
    }

    /**
     * Writes {@code address} into {@code into} at {@code offset}.
     *
     * @param address a resolved address
     * @param into    memory with {@link #MAX_SIZE} bytes from {@code offset}
     * @param offset  where the {@code sockaddr} starts
     * @return the length of the {@code sockaddr} written
     */
    public static int encode(InetSocketAddress address, MemorySegment into, long offset) {
        InetAddress ip = address.getAddress();
        byte[] bytes = ip.getAddress();
        short port = (short) address.getPort();
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
     * @param from the {@code sockaddr}
     * @return the address
     * @throws UnknownHostException if the family is neither IPv4 nor IPv6
     */
    public static InetSocketAddress decode(MemorySegment from) throws UnknownHostException {
        int family = from.get(JAVA_SHORT, 0);
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
        throw new UnknownHostException("address family " + family + " is neither AF_INET nor AF_INET6");
    }
}
