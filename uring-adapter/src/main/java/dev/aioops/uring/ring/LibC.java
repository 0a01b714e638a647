package dev.aioops.uring.ring;

import dev.aioops.uring.internal.Downcalls;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

import static dev.aioops.uring.internal.Downcalls.CAPTURE_ERRNO;
import static dev.aioops.uring.internal.Downcalls.downcall;
import static dev.aioops.uring.internal.Downcalls.result;
import static dev.aioops.uring.internal.Downcalls.rethrow;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library calls that a host owning an io_uring needs beside its submission entries, as
 * {@code java.lang.foreign} downcalls: errno capture, eventfds, {@code close}, pipes, and the socket calls that have
 * no io_uring opcode on every supported kernel. The io_uring system calls themselves are not here: they belong to the
 * adapter's own rings. Each group of downcalls sits in a lazy holder; every call is {@code invokeExact}.
 *
 * <p>Functions that report failure through {@code errno} take a capture segment from {@link #newErrnoState}
 * (owned by the calling thread) and return {@code -errno} on failure. Any thread may call them. None uses
 * {@code Linker.Option.critical}: {@code poll} blocks, and the others are not worth the risk.
 */
public final class LibC {

    private LibC() {
    }

    /**
     * Allocates an errno capture segment.
     *
     * @param arena the owner of the segment
     * @return a segment for the {@code state} parameter of the calls below
     */
    public static MemorySegment newErrnoState(Arena arena) {
        return Downcalls.newErrnoState(arena);
    }

    // ---------------------------------------------------------------- descriptors

    private static final class Fds {
        static final MethodHandle EVENTFD = downcall("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT),
                CAPTURE_ERRNO);
        static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle EVENTFD_WRITE = downcall("eventfd_write",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
        static final MethodHandle READ = downcall("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), CAPTURE_ERRNO);
        static final MethodHandle POLL = downcall("poll",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), CAPTURE_ERRNO);
    }

    /**
     * {@code eventfd(2)}.
     *
     * @param state   errno capture segment of the calling thread
     * @param initval the initial counter
     * @param flags   {@code EFD_*}
     * @return the descriptor, or {@code -errno}
     */
    public static int eventfd(MemorySegment state, int initval, int flags) {
        try {
            return result((int) Fds.EVENTFD.invokeExact(state, initval, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code close(2)}; errors are ignored (Linux releases the descriptor whatever close returns).
     *
     * @param fd the descriptor
     * @return 0 or -1
     */
    public static int close(int fd) {
        try {
            return (int) Fds.CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code eventfd_write(3)}: adds {@code value} to an eventfd's counter, the 8 bytes passed on glibc's stack so
     * that the caller needs no native memory. Errors (EAGAIN on a non-blocking eventfd that would overflow) give -1.
     *
     * @param fd    the eventfd
     * @param value the amount
     * @return 0, or -1
     */
    public static int eventfdWrite(int fd, long value) {
        try {
            return (int) Fds.EVENTFD_WRITE.invokeExact(fd, value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code read(2)}.
     *
     * @param state  errno capture segment of the calling thread
     * @param fd     the descriptor
     * @param buf    where to read to
     * @param length how many bytes at most
     * @return bytes read, or {@code -errno}
     */
    public static long read(MemorySegment state, int fd, MemorySegment buf, long length) {
        try {
            return result((long) Fds.READ.invokeExact(state, fd, buf, length), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code poll(2)}; may block.
     *
     * @param state     errno capture segment of the calling thread
     * @param fds       an array of {@code struct pollfd} (8 bytes each: fd, events, revents)
     * @param count     the number of entries
     * @param timeoutMs milliseconds, -1 for no limit
     * @return ready entries, 0 on timeout, or {@code -errno}
     */
    public static int poll(MemorySegment state, MemorySegment fds, long count, int timeoutMs) {
        try {
            return result((int) Fds.POLL.invokeExact(state, fds, count, timeoutMs), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---------------------------------------------------------------- pipes

    private static final class Pipes {
        static final MethodHandle PIPE2 = downcall("pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT),
                CAPTURE_ERRNO);
        static final MethodHandle FCNTL_INT = downcall("fcntl",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO,
                Linker.Option.firstVariadicArg(2));
    }

    /**
     * {@code pipe2(2)}.
     *
     * @param state errno capture segment of the calling thread
     * @param fds   two {@code int}s: the read end, then the write end
     * @param flags {@code O_NONBLOCK}, {@code O_CLOEXEC}
     * @return 0, or {@code -errno}
     */
    public static int pipe2(MemorySegment state, MemorySegment fds, int flags) {
        try {
            return result((int) Pipes.PIPE2.invokeExact(state, fds, flags), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code fcntl(2)} with an {@code int} argument, such as {@code F_SETPIPE_SZ}.
     *
     * @param state errno capture segment of the calling thread
     * @param fd    the descriptor
     * @param cmd   {@code F_*}
     * @param arg   the argument
     * @return what the command returns, or {@code -errno}
     */
    public static int fcntl(MemorySegment state, int fd, int cmd, int arg) {
        try {
            return result((int) Pipes.FCNTL_INT.invokeExact(state, fd, cmd, arg), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---------------------------------------------------------------- sockets

    private static final class Sockets {
        static final MethodHandle SOCKET = downcall("socket",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
        static final MethodHandle SETSOCKOPT = downcall("setsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
        static final MethodHandle BIND = downcall("bind",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
        static final MethodHandle CONNECT = downcall("connect",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
        static final MethodHandle LISTEN = downcall("listen",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
        static final MethodHandle GETSOCKNAME = downcall("getsockname",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), CAPTURE_ERRNO);
        static final MethodHandle GETSOCKOPT = downcall("getsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), CAPTURE_ERRNO);
        static final MethodHandle GETPEERNAME = downcall("getpeername",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS), CAPTURE_ERRNO);
        static final MethodHandle SHUTDOWN = downcall("shutdown",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
    }

    /**
     * {@code socket(2)}.
     *
     * @param state    errno capture segment of the calling thread
     * @param domain   {@code AF_*}
     * @param type     {@code SOCK_*}
     * @param protocol 0
     * @return the descriptor, or {@code -errno}
     */
    public static int socket(MemorySegment state, int domain, int type, int protocol) {
        try {
            return result((int) Sockets.SOCKET.invokeExact(state, domain, type, protocol), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code setsockopt(2)} with an {@code int} value.
     *
     * @param state   errno capture segment of the calling thread
     * @param fd      the socket
     * @param level   {@code SOL_SOCKET} or {@code IPPROTO_TCP}
     * @param option  the option
     * @param scratch at least 4 bytes of scratch memory for the value
     * @param value   the value
     * @return 0, or {@code -errno}
     */
    public static int setsockoptInt(MemorySegment state, int fd, int level, int option, MemorySegment scratch,
                                    int value) {
        scratch.set(ValueLayout.JAVA_INT, 0, value);
        try {
            return result((int) Sockets.SETSOCKOPT.invokeExact(state, fd, level, option, scratch, 4), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code setsockopt(2)} with a value of any size.
     *
     * @param state  errno capture segment of the calling thread
     * @param fd     the socket
     * @param level  {@code SOL_SOCKET} or {@code IPPROTO_TCP}
     * @param option the option
     * @param value  the value's bytes
     * @param length how many
     * @return 0, or {@code -errno}
     */
    public static int setsockopt(MemorySegment state, int fd, int level, int option, MemorySegment value,
                                 int length) {
        try {
            return result((int) Sockets.SETSOCKOPT.invokeExact(state, fd, level, option, value, length), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code getsockopt(2)}.
     *
     * @param state  errno capture segment of the calling thread
     * @param fd     the socket
     * @param level  {@code SOL_SOCKET} or {@code IPPROTO_TCP}
     * @param option the option
     * @param value  room for the value
     * @param length a {@code socklen_t} holding the room, updated by the kernel
     * @return 0, or {@code -errno}
     */
    public static int getsockopt(MemorySegment state, int fd, int level, int option, MemorySegment value,
                                 MemorySegment length) {
        try {
            return result((int) Sockets.GETSOCKOPT.invokeExact(state, fd, level, option, value, length), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code getpeername(2)}.
     *
     * @param state   errno capture segment of the calling thread
     * @param fd      the socket
     * @param address room for a {@code sockaddr_in6}
     * @param length  a {@code socklen_t} holding the room, updated by the kernel
     * @return 0, or {@code -errno}
     */
    public static int getpeername(MemorySegment state, int fd, MemorySegment address, MemorySegment length) {
        try {
            return result((int) Sockets.GETPEERNAME.invokeExact(state, fd, address, length), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code bind(2)}.
     *
     * @param state   errno capture segment of the calling thread
     * @param fd      the socket
     * @param address a {@code sockaddr}
     * @param length  its length
     * @return 0, or {@code -errno}
     */
    public static int bind(MemorySegment state, int fd, MemorySegment address, int length) {
        try {
            return result((int) Sockets.BIND.invokeExact(state, fd, address, length), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code connect(2)}, for a datagram socket (which it does not make wait: it only sets the peer).
     *
     * @param state   errno capture segment of the calling thread
     * @param fd      the socket
     * @param address a {@code sockaddr}
     * @param length  its length
     * @return 0, or {@code -errno}
     */
    public static int connect(MemorySegment state, int fd, MemorySegment address, int length) {
        try {
            return result((int) Sockets.CONNECT.invokeExact(state, fd, address, length), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code listen(2)}.
     *
     * @param state   errno capture segment of the calling thread
     * @param fd      the socket
     * @param backlog the backlog
     * @return 0, or {@code -errno}
     */
    public static int listen(MemorySegment state, int fd, int backlog) {
        try {
            return result((int) Sockets.LISTEN.invokeExact(state, fd, backlog), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code getsockname(2)}.
     *
     * @param state   errno capture segment of the calling thread
     * @param fd      the socket
     * @param address room for a {@code sockaddr_in6}
     * @param length  a {@code socklen_t} holding the room, updated by the kernel
     * @return 0, or {@code -errno}
     */
    public static int getsockname(MemorySegment state, int fd, MemorySegment address, MemorySegment length) {
        try {
            return result((int) Sockets.GETSOCKNAME.invokeExact(state, fd, address, length), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code shutdown(2)}.
     *
     * @param state errno capture segment of the calling thread
     * @param fd    the socket
     * @param how   {@code SHUT_RD}, {@code SHUT_WR} or {@code SHUT_RDWR}
     * @return 0, or {@code -errno}
     */
    public static int shutdown(MemorySegment state, int fd, int how) {
        try {
            return result((int) Sockets.SHUTDOWN.invokeExact(state, fd, how), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
