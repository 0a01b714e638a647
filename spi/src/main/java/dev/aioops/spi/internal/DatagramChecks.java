package dev.aioops.spi.internal;

import dev.aioops.spi.AioSocketAddress;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetSocketAddress;

/**
 * The checks of the datagram operations ({@link dev.aioops.spi.AioDatagramOperations}) that every adapter makes
 * before accepting one, so that misuse throws the same exception with the same message whatever the adapter.
 */
public final class DatagramChecks {

    private DatagramChecks() {
    }

    /**
     * Checks the addresses of an {@code openDatagram}.
     *
     * @param bind      the local address
     * @param connectTo the peer, or null
     * @throws NullPointerException     if {@code bind} is null
     * @throws IllegalArgumentException if an address is unresolved, or the two are of different families
     */
    public static void open(InetSocketAddress bind, InetSocketAddress connectTo) {
        Checks.address(bind);
        if (connectTo != null) {
            Checks.address(connectTo);
            if ((bind.getAddress() instanceof Inet4Address) != (connectTo.getAddress() instanceof Inet4Address)) {
                throw new IllegalArgumentException("connectTo " + connectTo + " is not of the family of bind "
                        + bind + ": a socket is IPv4 or IPv6, as its bind address is");
            }
        }
    }

    /**
     * Checks a {@code sendTo}: the buffer, and the target when there is one.
     *
     * @param buffer the datagram
     * @param target the destination, or null
     * @throws NullPointerException     if {@code buffer} is null
     * @throws IllegalArgumentException if {@code buffer} is a heap segment or {@code target} holds no address
     * @throws IllegalStateException    if an arena is closed
     */
    public static void send(MemorySegment buffer, AioSocketAddress target) {
        Checks.buffer(buffer);
        if (target != null) {
            alive(target);
            if (!target.isSet()) {
                throw new IllegalArgumentException("target holds no address: set() it, or pass null to send to the "
                        + "connected peer");
            }
        }
    }

    /**
     * Checks a {@code receive}: the buffer, the sender's holder when there is one, and the deadline.
     *
     * @param buffer       where the datagram goes
     * @param sender       where its sender goes, or null
     * @param timeoutNanos the deadline, or 0 for none
     * @return {@code timeoutNanos}
     * @throws NullPointerException     if {@code buffer} is null
     * @throws IllegalArgumentException if {@code buffer} is a heap segment or read-only, or the deadline negative
     * @throws IllegalStateException    if an arena is closed
     */
    public static long receive(MemorySegment buffer, AioSocketAddress sender, long timeoutNanos) {
        Checks.readBuffer(buffer);
        if (sender != null) {
            alive(sender);
        }
        if (timeoutNanos < 0) {
            throw new IllegalArgumentException("timeoutNanos must be >= 0 (0 for no deadline), not " + timeoutNanos);
        }
        return timeoutNanos;
    }

    private static void alive(AioSocketAddress address) {
        if (!address.struct().scope().isAlive()) {
            throw new IllegalStateException("the AioSocketAddress's arena is already closed; keep it open until the "
                    + "completion has run");
        }
    }
}
