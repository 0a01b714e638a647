package dev.aioops.uring.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.uring.ring.DescriptorTable;
import dev.aioops.uring.ring.LibC;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The descriptors this instance opened, under handles that carry a generation ({@link DescriptorTable}:
 * {@code generation << 20 | fd}), so that a stale handle is {@code -EBADF} even after its number was reused; fd
 * 0/1/2, foreign descriptors and bare descriptor numbers are not handles. Changed by the loop thread only; read by
 * any thread for {@code signal}, {@code localAddress}, the socket options and {@code fileDescriptor}, which enter
 * an entry's guard so that its descriptor is never closed (and its number reused) while they use it.
 */
final class FdTable extends DescriptorTable<FdTable.Entry> {

    static final byte FILE = 1;
    static final byte SOCKET = 2;
    static final byte LISTENER = 3;
    static final byte EVENTFD = 4;
    /** A directory opened with {@code DIRECTORY}: the base of relative paths. */
    static final byte DIRECTORY = 5;
    /** A UDP socket ({@link RingDatagramOperations}). */
    static final byte DATAGRAM = 6;

    /** One open descriptor. */
    static final class Entry extends DescriptorTable.Entry {
        private static final int CLOSED = Integer.MIN_VALUE;

        final byte kind;
        /** Threads inside {@link #enter()}, plus {@link #CLOSED} once closing began. */
        private final AtomicInteger users = new AtomicInteger();
        /** Loop only: operations submitted to the kernel and not yet completed. */
        int inflight;
        /** Loop only: {@code close(handle)} was called; new operations get {@code -EBADF}. */
        boolean closing;
        /** Loop only: the op slot of the pending close, or -1. */
        int closeSlot = -1;
        /** A Unix domain socket: no {@code TCP_NODELAY}, only the options that apply to one. */
        final boolean unix;
        /** A listener's bound address, read once at listen so that localAddress needs no system call; or null. */
        volatile java.net.SocketAddress localAddress;
        /** Loop only: the last recv on this socket left it empty (no {@code IORING_CQE_F_SOCK_NONEMPTY}). */
        boolean drained;
        /** Loop only: a datagram socket connected at open, whose sends name no target. */
        boolean connected;

        Entry(int fd, int handle, byte kind, boolean unix) {
            super(fd, handle);
            this.kind = kind;
            this.unix = unix;
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

        /** Any thread: whether closing began. */
        boolean isShut() {
            return users.get() < 0;
        }

        /** Loop: whether uses begun before {@link #shut()} are over. */
        boolean idle() {
            return users.get() == CLOSED;
        }
    }

    /**
     * Loop: adds a descriptor this instance has just opened, under a new handle.
     *
     * @param fd   the descriptor
     * @param kind what it is
     * @return the handle, or {@code -EMFILE} (the descriptor closed) when it is above {@link #MAX_FD}
     */
    int adopt(int fd, byte kind) {
        return adopt(fd, kind, false);
    }

    /**
     * Loop: adds a socket this instance has just opened, of the Unix domain or not, under a new handle.
     *
     * @param fd   the descriptor
     * @param kind what it is
     * @param unix whether it is a Unix domain socket
     * @return the handle, or {@code -EMFILE} (the descriptor closed) when it is above {@link #MAX_FD}
     */
    int adopt(int fd, byte kind, boolean unix) {
        int handle = newHandle(fd);
        if (handle < 0) {
            LibC.close(fd);
            return -AioErrno.EMFILE;
        }
        return put(new Entry(fd, handle, kind, unix)).handle;
    }
}
