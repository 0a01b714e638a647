package dev.aioops.uring.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The descriptors this instance opened, indexed by fd: only these are valid handles (fd 0/1/2 and foreign
 * descriptors are not). Changed by the loop thread only; read by any thread for {@code signal} and
 * {@code localAddress}, which enter an entry's guard so that its descriptor is never closed (and its number
 * reused) while they use it.
 */
final class FdTable {

    static final byte FILE = 1;
    static final byte SOCKET = 2;
    static final byte LISTENER = 3;
    static final byte EVENTFD = 4;
    /** A directory opened with {@code DIRECTORY}: the base of relative paths. */
    static final byte DIRECTORY = 5;
    /** A UDP socket ({@link RingDatagramOperations}). */
    static final byte DATAGRAM = 6;

    private static final VarHandle ELEMENTS = MethodHandles.arrayElementVarHandle(Entry[].class);

    /** One open descriptor. */
    static final class Entry {
        private static final int CLOSED = Integer.MIN_VALUE;

        final int fd;
        final byte kind;
        /** Threads inside {@link #enter()}, plus {@link #CLOSED} once closing began. */
        private final AtomicInteger users = new AtomicInteger();
        /** Loop only: operations submitted to the kernel and not yet completed. */
        int inflight;
        /** Loop only: {@code close(handle)} was called; new operations get {@code -EBADF}. */
        boolean closing;
        /** Loop only: the op slot of the pending close, or -1. */
        int closeSlot = -1;
        /** A listener's bound address, read once at listen so that localAddress needs no system call; or null. */
        volatile java.net.InetSocketAddress localAddress;
        /** Loop only: the last recv on this socket left it empty (no {@code IORING_CQE_F_SOCK_NONEMPTY}). */
        boolean drained;
        /** Loop only: a datagram socket connected at open, whose sends name no target. */
        boolean connected;

        Entry(int fd, byte kind) {
            this.fd = fd;
            this.kind = kind;
        }

        /** Any thread: begins a use of the descriptor; false once it is closing. */
        boolean enter() {
            while (true) {
                int u = users.get();
                if (u < 0) {
                    return false;
                }
                if (users.compareAndSet(u, u + 1)) {
                    return true;
                }
            }
        }

        /** Ends a use begun by a successful {@link #enter()}. */
        void exit() {
            users.decrementAndGet();
        }

        /** Loop: no new uses from now on. */
        void shut() {
            users.getAndUpdate(u -> u | CLOSED);
        }

        /** Loop: whether uses begun before {@link #shut()} are over. */
        boolean idle() {
            return users.get() == CLOSED;
        }
    }

    /** Published with a volatile write when grown; elements with release stores. */
    private volatile Entry[] entries = new Entry[64];
    private int count;

    /** Any thread. */
    Entry get(int fd) {
        Entry[] a = entries;
        return fd >= 0 && fd < a.length ? (Entry) ELEMENTS.getAcquire(a, fd) : null;
    }

    /** Loop: adds a descriptor this instance opened. */
    Entry put(int fd, byte kind) {
        Entry[] a = entries;
        if (fd >= a.length) {
            Entry[] grown = new Entry[Math.max(a.length * 2, fd + 1)];
            System.arraycopy(a, 0, grown, 0, a.length);
            entries = grown;
            a = grown;
        }
        Entry e = new Entry(fd, kind);
        // Release: readers that find the entry see its final fields (and a new fd is already open).
        ELEMENTS.setRelease(a, fd, e);
        count++;
        return e;
    }

    /** Loop: forgets a descriptor (before it is closed). */
    void remove(int fd) {
        Entry[] a = entries;
        if (fd >= 0 && fd < a.length && a[fd] != null) {
            ELEMENTS.setRelease(a, fd, (Entry) null);
            count--;
        }
    }

    /** Loop: how many descriptors are open. */
    int size() {
        return count;
    }

    /** Loop: visits every open descriptor. */
    void forEach(IntConsumer action) {
        Entry[] a = entries;
        for (int fd = 0; fd < a.length; fd++) {
            if (a[fd] != null) {
                action.accept(fd);
            }
        }
    }
}
