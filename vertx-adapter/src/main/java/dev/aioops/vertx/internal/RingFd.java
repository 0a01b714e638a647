package dev.aioops.vertx.internal;

import dev.aioops.uring.ring.DescriptorTable;
import dev.aioops.uring.ring.LibC;
import dev.aioops.uring.ring.Sockaddrs;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicInteger;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * One descriptor of a shared-ring engine, under its handle in {@link RingFds}. Loop-owned except {@link #closing},
 * {@link #users} and {@link #localAddress()}.
 *
 * <p>A stream socket has at most one read in the ring; later reads wait in {@link #queuedReads}, in order, and
 * go to the ring one at a time. Several receives armed on one socket could be served out of order, and each
 * would be one more request for the kernel to find when it cancels by descriptor (which walks its poll table
 * once per request found): closing with many reads queued on a socket costs one kernel cancel, not one each.
 */
final class RingFd extends DescriptorTable.Entry {

    /** What a descriptor is. */
    enum Kind { FILE, SOCKET, LISTENER, EVENTFD, DIRECTORY, DATAGRAM }

    final Kind kind;
    /** A Unix domain socket: no {@code TCP_NODELAY}, only the options that apply to one. */
    final boolean unix;
    /** Threads inside a system call on {@link #fd} from outside the loop: the loop never closes it under them. */
    final AtomicInteger users = new AtomicInteger();
    volatile boolean closing;
    boolean released;
    /** Operations of this descriptor in the ring. */
    int inFlight;
    Op closeOp;
    /** Whether a stream read of this socket is in the ring. */
    boolean readInRing;
    /** Stream reads waiting for the one in the ring. */
    final ArrayDeque<Op> queuedReads = new ArrayDeque<>();
    /** Loop: a datagram socket connected at open, whose sends name no target. */
    boolean connected;
    private volatile SocketAddress localAddress;

    RingFd(int fd, int handle, Kind kind, boolean unix) {
        super(fd, handle);
        this.kind = kind;
        this.unix = unix;
    }

    boolean isStream() {
        return kind == Kind.SOCKET || kind == Kind.LISTENER;
    }

    /** A TCP or UDP socket, whose options and addresses the contract gives. */
    boolean isSocket() {
        return isStream() || kind == Kind.DATAGRAM;
    }

    /**
     * Any thread: the socket's local address, asked of the kernel ({@code getsockname}) on first use and kept,
     * so that accepting a connection costs no system call for it.
     *
     * @return the address, or null if this is not a socket or it has been closed
     */
    SocketAddress localAddress() {
        SocketAddress known = localAddress;
        if (known != null || !isSocket()) {
            return known;
        }
        users.incrementAndGet();
        try {
            if (closing) {
                return null;
            }
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment errno = LibC.newErrnoState(arena);
                MemorySegment address = arena.allocate(Sockaddrs.MAX_SIZE, 8);
                MemorySegment length = arena.allocate(JAVA_INT);
                length.set(JAVA_INT, 0, Sockaddrs.MAX_SIZE);
                if (LibC.getsockname(errno, fd, address, length) != 0) {
                    return null;
                }
                known = Sockaddrs.decode(address, length.get(JAVA_INT, 0));
            } catch (UnknownHostException e) {
                return null;
            }
        } finally {
            users.decrementAndGet();
        }
        localAddress = known;
        return known;
    }

    /** Whether {@link #localAddress()} has asked the kernel already; for tests. */
    boolean localAddressKnown() {
        return localAddress != null;
    }

    /**
     * Any thread: adds to an eventfd's counter with {@code eventfd_write(3)}.
     *
     * @param n the amount
     * @return whether it was added ({@code false} once closing, or when the counter would overflow)
     */
    boolean signal(long n) {
        if (kind != Kind.EVENTFD) {
            return false;
        }
        // Counted before closing is checked, and release() sets closing before it reads the count: the
        // descriptor is never closed, and its number never reused, under this write.
        users.incrementAndGet();
        try {
            return !closing && LibC.eventfdWrite(fd, n) == 0;
        } finally {
            users.decrementAndGet();
        }
    }

    /** Loop: closes the descriptor (once), when no other thread is inside a system call on it. */
    void release() {
        if (released) {
            return;
        }
        released = true;
        closing = true;
        while (users.get() != 0) {
            Thread.onSpinWait();
        }
        LibC.close(fd);
    }
}
