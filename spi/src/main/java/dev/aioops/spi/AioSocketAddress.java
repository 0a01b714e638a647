package dev.aioops.spi;

import dev.aioops.spi.internal.SockaddrCodec;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * An IPv4 or IPv6 socket address in native memory: a caller-owned, reusable holder of Linux's
 * {@code struct sockaddr_storage}, which {@link AioDatagramOperations#sendTo} reads the destination from and
 * {@link AioDatagramOperations#receive} writes the sender into. On io_uring the kernel reads and writes it as it
 * is, so a holder reused from one datagram to the next costs no allocation; an echo server passes the holder a
 * receive filled straight to the {@code sendTo} of its reply.
 *
 * <p><b>Ownership.</b> From submission until the completion runs it belongs to the adapter, as a buffer does: the
 * caller must neither read nor change it, nor close its arena. After a receive that completed with a result
 * {@code >= 0} it holds the sender; after a failure its contents are unspecified.
 *
 * <p><b>Threads.</b> Not thread-safe: fill it on one thread, then submit it; the submission publishes it to the
 * adapter's threads, and the completion publishes it back.
 */
public final class AioSocketAddress {

    /** The bytes it occupies: {@code sizeof(struct sockaddr_storage)}. */
    public static final int STRUCT_SIZE = 128;

    private final MemorySegment storage;

    private AioSocketAddress(MemorySegment storage) {
        this.storage = storage;
    }

    /**
     * Allocates an empty holder ({@link #isSet()} is false until it is set or a receive fills it).
     *
     * @param arena owns its {@value #STRUCT_SIZE} bytes of native memory; must outlive every operation it is
     *              given to
     * @return the holder, zeroed
     * @throws NullPointerException if {@code arena} is null
     */
    public static AioSocketAddress allocate(Arena arena) {
        Objects.requireNonNull(arena, "arena");
        return new AioSocketAddress(arena.allocate(STRUCT_SIZE, 8));
    }

    /**
     * Allocates a holder of an address, for a destination.
     *
     * @param arena   owns its native memory, as for {@link #allocate(Arena)}
     * @param address a resolved IPv4 or IPv6 address
     * @return the holder
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code address} is unresolved
     */
    public static AioSocketAddress of(Arena arena, InetSocketAddress address) {
        return allocate(arena).set(address);
    }

    /**
     * Stores an address (allocates a little: the JDK hands out the address bytes as a new array).
     *
     * @param address a resolved IPv4 or IPv6 address
     * @return this holder
     * @throws NullPointerException     if {@code address} is null
     * @throws IllegalArgumentException if {@code address} is unresolved
     * @throws IllegalStateException    if its arena is closed
     */
    public AioSocketAddress set(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("address " + address + " is unresolved; resolve it (InetAddress) "
                    + "first: no name lookup happens on the loop");
        }
        SockaddrCodec.encode(address, storage);
        return this;
    }

    /**
     * Copies the address another holder has, without allocating.
     *
     * @param other a holder
     * @return this holder
     * @throws NullPointerException  if {@code other} is null
     * @throws IllegalStateException if either arena is closed
     */
    public AioSocketAddress set(AioSocketAddress other) {
        Objects.requireNonNull(other, "other");
        MemorySegment.copy(other.storage, 0, storage, 0, STRUCT_SIZE);
        return this;
    }

    /**
     * Forgets the address, so that {@link #isSet()} is false.
     *
     * @return this holder
     */
    public AioSocketAddress clear() {
        storage.fill((byte) 0);
        return this;
    }

    /**
     * Whether it holds an IPv4 or IPv6 address.
     *
     * @return {@code true} after {@link #set} or a successful receive into it
     */
    public boolean isSet() {
        return SockaddrCodec.length(storage) != 0;
    }

    /**
     * Whether the address it holds is IPv6.
     *
     * @return {@code true} for {@code AF_INET6}
     */
    public boolean isIPv6() {
        return SockaddrCodec.family(storage) == SockaddrCodec.AF_INET6;
    }

    /**
     * The port, without allocating.
     *
     * @return 0 to 65535
     * @throws IllegalStateException if it holds no address
     */
    public int port() {
        requireSet();
        return SockaddrCodec.port(storage);
    }

    /**
     * The address as a Java object (allocates). An IPv4-mapped IPv6 address, as a dual-stack socket reports an IPv4
     * peer, is given as IPv4, as the JDK's channels give it.
     *
     * @return the address
     * @throws IllegalStateException if it holds no address
     */
    public InetSocketAddress get() {
        requireSet();
        return SockaddrCodec.decode(storage);
    }

    /**
     * Whether another holder has the same address (family, port, IP address and, for IPv6, scope), without
     * allocating.
     *
     * @param other a holder
     * @return {@code true} if both hold the same address, or both none
     * @throws NullPointerException if {@code other} is null
     */
    public boolean sameAddress(AioSocketAddress other) {
        Objects.requireNonNull(other, "other");
        int length = SockaddrCodec.length(storage);
        if (length != SockaddrCodec.length(other.storage)) {
            return false;
        }
        if (length == SockaddrCodec.IN6_SIZE) {
            // Family and port, then address and scope: the flow label is not part of the address.
            return MemorySegment.mismatch(storage, 0, 4, other.storage, 0, 4) == -1
                    && MemorySegment.mismatch(storage, 8, 28, other.storage, 8, 28) == -1;
        }
        return MemorySegment.mismatch(storage, 0, length, other.storage, 0, length) == -1;
    }

    /**
     * For adapters: the {@code struct sockaddr_storage} itself.
     *
     * @return its {@value #STRUCT_SIZE} bytes
     */
    public MemorySegment struct() {
        return storage;
    }

    /**
     * For adapters: the {@code socklen_t} of the address it holds, what {@code sendmsg(2)} is given.
     *
     * @return 16 for IPv4, 28 for IPv6, 0 when it holds none
     */
    public int length() {
        return SockaddrCodec.length(storage);
    }

    private void requireSet() {
        if (!isSet()) {
            throw new IllegalStateException("this AioSocketAddress holds no address: set() it, or read it after a "
                    + "receive into it completed with a result >= 0");
        }
    }

    @Override
    public String toString() {
        return isSet() ? "AioSocketAddress[" + get() + "]" : "AioSocketAddress[unset]";
    }
}
