package dev.aioops.uring.internal;

import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static dev.aioops.uring.internal.Downcalls.CAPTURE_ERRNO;
import static dev.aioops.uring.internal.Downcalls.downcall;
import static dev.aioops.uring.internal.Downcalls.errno;
import static dev.aioops.uring.internal.Downcalls.result;
import static dev.aioops.uring.internal.Downcalls.rethrow;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The system calls of the adapter's own rings, as {@code java.lang.foreign} downcalls: {@code io_uring_setup},
 * {@code io_uring_enter} and {@code io_uring_register} through {@code syscall(2)} (liburing is not assumed), and
 * the mapping of the rings. Each group sits in a lazy holder; every call is {@code invokeExact}. A host that owns
 * a ring of its own needs none of these; the plain C library calls are {@link dev.aioops.uring.ring.LibC}.
 *
 * <p>Calls that report failure through {@code errno} take a capture segment from
 * {@link Downcalls#newErrnoState} (owned by the calling thread) and return {@code -errno} on failure. None uses
 * {@code Linker.Option.critical}: {@code io_uring_enter} blocks.
 *
 * <p>System call arguments travel as {@code long}: {@code syscall(2)} is variadic and reads every argument as a
 * full register, so a narrower type would leave the upper bits undefined.
 */
public final class UringSyscalls {

    private UringSyscalls() {
    }

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
}
