package dev.aioops.uring.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc functions this adapter calls, as {@code java.lang.foreign} downcalls: the io_uring system calls through
 * {@code syscall(2)} (liburing is not assumed), memory mapping, eventfds and the few socket calls that have no
 * io_uring opcode. Each group of downcalls sits in a lazy holder; every call is {@code invokeExact}.
 *
 * <p>Functions that report failure through {@code errno} take a capture segment from {@link #newErrnoState}
 * (owned by the calling thread) and return {@code -errno} on failure. None uses {@code Linker.Option.critical}:
 * {@code io_uring_enter} blocks, and the others are not worth the risk.
 *
 * <p>System call arguments travel as {@code long}: {@code syscall(2)} is variadic and reads every argument as a
 * full register, so a narrower type would leave the upper bits undefined.
 */
public final class LibC {

    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private LibC() {
    }

    /**
     * The layout of an errno capture segment, to allocate one with.
     *
     * @return the capture state layout
     */
    public static StructLayout errnoStateLayout() {
        return CAPTURE_LAYOUT;
    }

    /**
     * Allocates an errno capture segment.
     *
     * @param arena the owner of the segment
     * @return a segment for the {@code state} parameter of the calls below
     */
    public static MemorySegment newErrnoState(java.lang.foreign.Arena arena) {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static long result(long r, MemorySegment state) {
        return r == -1 ? -errno(state) : r;
    }

    private static int result(int r, MemorySegment state) {
        return r == -1 ? -errno(state) : r;
    }

    /**
     * Makes a downcall handle for a function of the C library, explaining a missing {@code --enable-native-access}.
     */
    @SuppressWarnings("restricted") // the only place this module creates downcalls; see the message below
    static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker linker = Linker.nativeLinker();
        MemorySegment symbol = linker.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        try {
            return linker.downcallHandle(symbol, descriptor, options);
        } catch (IllegalCallerException denied) {
            throw new IllegalCallerException(NATIVE_ACCESS_HINT, denied);
        }
    }

    /** The advice given when the JVM refuses this module native access. */
    public static final String NATIVE_ACCESS_HINT = "the io_uring adapter calls the kernel through java.lang.foreign "
            + "and needs native access: run java with --enable-native-access=dev.aioops.uring (module path) or "
            + "--enable-native-access=ALL-UNNAMED (class path)";

    // ---------------------------------------------------------------- io_uring system calls

    private static final class IoUring {
        static final MethodHandle SETUP = downcall("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS),
                Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
        static final MethodHandle ENTER = downcall("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS,
                        JAVA_LONG),
                Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
        static final MethodHandle REGISTER = downcall("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, JAVA_LONG),
                Linker.Option.firstVariadicArg(1), CAPTURE_ERRNO);
    }

    /**
     * {@code io_uring_setup(2)}.
     *
     * @param state   errno capture segment of the calling thread
     * @param entries submission queue entries
     * @param params  a {@code struct io_uring_params}, read and written by the kernel
     * @return the ring fd, or {@code -errno}
     */
    public static int ioUringSetup(MemorySegment state, int entries, MemorySegment params) {
        try {
            return (int) result((long) IoUring.SETUP.invokeExact(state, UringLayout.SYS_IO_URING_SETUP,
                    (long) entries, params), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code io_uring_enter(2)}; may block.
     *
     * @param state       errno capture segment of the calling thread
     * @param ringFd      the ring
     * @param toSubmit    SQEs to consume
     * @param minComplete completions to wait for with {@code GETEVENTS}
     * @param flags       {@code IORING_ENTER_*}
     * @param arg         {@link MemorySegment#NULL} or an {@code io_uring_getevents_arg} with {@code EXT_ARG}
     * @param argSize     the size of {@code arg}
     * @return SQEs consumed, or {@code -errno}
     */
    public static int ioUringEnter(MemorySegment state, int ringFd, int toSubmit, int minComplete, int flags,
                                   MemorySegment arg, long argSize) {
        try {
            return (int) result((long) IoUring.ENTER.invokeExact(state, UringLayout.SYS_IO_URING_ENTER,
                    (long) ringFd, (long) toSubmit, (long) minComplete, (long) flags, arg, argSize), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code io_uring_register(2)}.
     *
     * @param state  errno capture segment of the calling thread
     * @param ringFd the ring
     * @param opcode {@code IORING_REGISTER_*}
     * @param arg    the argument, or {@link MemorySegment#NULL}
     * @param nrArgs the argument count
     * @return the kernel's result, or {@code -errno}
     */
    public static int ioUringRegister(MemorySegment state, int ringFd, int opcode, MemorySegment arg, int nrArgs) {
        try {
            return (int) result((long) IoUring.REGISTER.invokeExact(state, UringLayout.SYS_IO_URING_REGISTER,
                    (long) ringFd, (long) opcode, arg, (long) nrArgs), state);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---------------------------------------------------------------- memory

    private static final class Memory {
        static final MethodHandle MMAP = downcall("mmap",
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
                CAPTURE_ERRNO);
        static final MethodHandle MUNMAP = downcall("munmap", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG));
    }

    /**
     * {@code mmap(2)} of a shared read-write region of a file descriptor.
     *
     * @param state  errno capture segment of the calling thread
     * @param length bytes to map
     * @param fd     the descriptor
     * @param offset the offset (the io_uring magic offsets)
     * @return the address, or {@code -errno} (a small negative number; valid addresses are never in that range)
     */
    public static long mmapShared(MemorySegment state, long length, int fd, long offset) {
        try {
            long r = (long) Memory.MMAP.invokeExact(state, MemorySegment.NULL, length, UringLayout.PROT_READ_WRITE,
                    UringLayout.MAP_SHARED | UringLayout.MAP_POPULATE, fd, offset);
            return r == -1L ? -errno(state) : r;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code munmap(2)}.
     *
     * @param address the mapping
     * @param length  its length
     * @return 0, or -1
     */
    public static int munmap(long address, long length) {
        try {
            return (int) Memory.MUNMAP.invokeExact(address, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---------------------------------------------------------------- descriptors

    private static final class Fds {
        static final MethodHandle EVENTFD = downcall("eventfd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT),
                CAPTURE_ERRNO);
        static final MethodHandle CLOSE = downcall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        static final MethodHandle WRITE = downcall("write",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
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
     * {@code write(2)} without errno: for eventfd signals, where only success matters.
     *
     * @param fd     the descriptor
     * @param buf    the bytes
     * @param length how many
     * @return bytes written, or -1
     */
    public static long write(int fd, MemorySegment buf, long length) {
        try {
            return (long) Fds.WRITE.invokeExact(fd, buf, length);
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

    // ---------------------------------------------------------------- sockets

    private static final class Sockets {
        static final MethodHandle SOCKET = downcall("socket",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
        static final MethodHandle SETSOCKOPT = downcall("setsockopt",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
        static final MethodHandle BIND = downcall("bind",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), CAPTURE_ERRNO);
        static final MethodHandle LISTEN = downcall("listen",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), CAPTURE_ERRNO);
        static final MethodHandle GETSOCKNAME = downcall("getsockname",
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

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("unexpected checked exception from a downcall", t);
    }
}
