package dev.aioops.linux.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The file-system system calls of the contract, for threads that may block (an adapter's file threads, never
 * its loop). Each returns its result, or {@code -errno}. Paths are handed to the kernel as UTF-8 C strings.
 *
 * <p>Descriptors passed in are the caller's to keep alive for the duration of the call.
 */
public final class FileCalls {

    /** {@code AT_FDCWD}: a relative path is resolved against the working directory. */
    public static final int AT_FDCWD = -100;
    /** {@code AT_SYMLINK_NOFOLLOW} for {@code statx}. */
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    /** {@code AT_REMOVEDIR} for {@code unlinkat}. */
    public static final int AT_REMOVEDIR = 0x200;
    /** {@code AT_EMPTY_PATH}: {@code statx} of the descriptor itself. */
    public static final int AT_EMPTY_PATH = 0x1000;
    /** {@code STATX_BASIC_STATS}: the fields of {@code stat(2)}. */
    public static final int STATX_BASIC_STATS = 0x7ff;

    /** {@code openat2} is 437 on every architecture (system calls added since 5.1 share one number). */
    private static final long SYS_OPENAT2 = 437;
    private static final long OPEN_HOW_SIZE = 24;

    private FileCalls() {
    }

    private static final class Handles {
        static final MethodHandle OPENAT2 = Syscalls.downcall("syscall",
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG),
                Linker.Option.firstVariadicArg(1), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle OPENAT = Syscalls.downcall("openat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(3), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle STATX = Syscalls.downcall("statx",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS),
                Syscalls.CAPTURE_ERRNO);
        static final MethodHandle FSYNC = Syscalls.downcall("fsync",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle FDATASYNC = Syscalls.downcall("fdatasync",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle FTRUNCATE = Syscalls.downcall("ftruncate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle FALLOCATE = Syscalls.downcall("fallocate",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle UNLINKAT = Syscalls.downcall("unlinkat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle RENAMEAT = Syscalls.downcall("renameat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle MKDIRAT = Syscalls.downcall("mkdirat",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle PREAD = Syscalls.downcall("pread",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle PWRITE = Syscalls.downcall("pwrite",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle READ = Syscalls.downcall("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle WRITE = Syscalls.downcall("write",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle PREADV = Syscalls.downcall("preadv",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle PWRITEV = Syscalls.downcall("pwritev",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle READV = Syscalls.downcall("readv",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle WRITEV = Syscalls.downcall("writev",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT), Syscalls.CAPTURE_ERRNO);
        static final MethodHandle CLOSE = Syscalls.downcall("close",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT), Syscalls.CAPTURE_ERRNO);
    }

    /**
     * {@code openat2(2)}.
     *
     * @param dirfd   a directory descriptor or {@link #AT_FDCWD}
     * @param path    the path
     * @param flags   {@code O_*} flags ({@link OpenFlags})
     * @param mode    the mode of a created file; ignored without {@code O_CREAT} (where {@code openat2}, unlike
     *                {@code openat}, would refuse a non-zero mode)
     * @param resolve {@code RESOLVE_*} flags
     * @return the new descriptor, or {@code -errno} ({@code -ENOSYS} before Linux 5.6)
     */
    public static int openat2(int dirfd, String path, int flags, int mode, long resolve) {
        MemorySegment state = Syscalls.state();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment how = arena.allocate(OPEN_HOW_SIZE, 8);
            how.set(JAVA_LONG, 0, Integer.toUnsignedLong(flags));
            how.set(JAVA_LONG, 8, (flags & OpenFlags.O_CREAT) != 0 ? mode : 0);
            how.set(JAVA_LONG, 16, resolve);
            long r = (long) Handles.OPENAT2.invokeExact(state, SYS_OPENAT2, (long) dirfd, arena.allocateFrom(path),
                    how, OPEN_HOW_SIZE);
            return (int) Syscalls.result(r, state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * Whether the kernel has {@code openat2(2)} (Linux 5.6), asked once.
     *
     * @return true if it has
     */
    public static boolean hasOpenat2() {
        return Openat2Probe.PRESENT;
    }

    private static final class Openat2Probe {
        static final boolean PRESENT = probe();

        private static boolean probe() {
            int fd = openat2(AT_FDCWD, "/", OpenFlags.O_RDONLY | OpenFlags.O_CLOEXEC, 0, 0);
            if (fd >= 0) {
                close(fd);
            }
            // -ENOSYS before 5.6; -EPERM where a seccomp filter forbids it.
            return fd >= 0;
        }
    }

    /**
     * {@code openat(2)}, for kernels without {@code openat2} when no resolution flag is needed.
     *
     * @param dirfd a directory descriptor or {@link #AT_FDCWD}
     * @param path  the path
     * @param flags {@code O_*} flags
     * @param mode  the mode of a created file
     * @return the new descriptor, or {@code -errno}
     */
    public static int openat(int dirfd, String path, int flags, int mode) {
        MemorySegment state = Syscalls.state();
        try (Arena arena = Arena.ofConfined()) {
            return Syscalls.result((int) Handles.OPENAT.invokeExact(state, dirfd, arena.allocateFrom(path), flags,
                    mode), state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code statx(2)} of the basic fields.
     *
     * @param dirfd a directory descriptor, {@link #AT_FDCWD}, or the file itself with an empty path and
     *              {@link #AT_EMPTY_PATH}
     * @param path  the path, possibly empty
     * @param flags {@code AT_*} flags
     * @param statx a {@code struct statx} of 256 bytes, written by the kernel
     * @return 0 or {@code -errno}
     */
    public static int statx(int dirfd, String path, int flags, MemorySegment statx) {
        MemorySegment state = Syscalls.state();
        try (Arena arena = Arena.ofConfined()) {
            return Syscalls.result((int) Handles.STATX.invokeExact(state, dirfd, arena.allocateFrom(path), flags,
                    STATX_BASIC_STATS, statx), state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code fsync(2)} or {@code fdatasync(2)}.
     *
     * @param fd       the file
     * @param dataOnly {@code fdatasync} when true
     * @return 0 or {@code -errno}
     */
    public static int sync(int fd, boolean dataOnly) {
        MemorySegment state = Syscalls.state();
        try {
            int r = dataOnly ? (int) Handles.FDATASYNC.invokeExact(state, fd)
                    : (int) Handles.FSYNC.invokeExact(state, fd);
            return Syscalls.result(r, state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code ftruncate(2)}.
     *
     * @param fd     the file
     * @param length the new size
     * @return 0 or {@code -errno}
     */
    public static int ftruncate(int fd, long length) {
        MemorySegment state = Syscalls.state();
        try {
            return Syscalls.result((int) Handles.FTRUNCATE.invokeExact(state, fd, length), state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code fallocate(2)}.
     *
     * @param fd     the file
     * @param mode   0, or {@code FALLOC_FL_*} flags
     * @param offset the first byte
     * @param length the range's size
     * @return 0 or {@code -errno}
     */
    public static int fallocate(int fd, int mode, long offset, long length) {
        MemorySegment state = Syscalls.state();
        try {
            return Syscalls.result((int) Handles.FALLOCATE.invokeExact(state, fd, mode, offset, length), state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code unlinkat(2)}.
     *
     * @param dirfd a directory descriptor or {@link #AT_FDCWD}
     * @param path  the name
     * @param flags 0 or {@link #AT_REMOVEDIR}
     * @return 0 or {@code -errno}
     */
    public static int unlinkat(int dirfd, String path, int flags) {
        MemorySegment state = Syscalls.state();
        try (Arena arena = Arena.ofConfined()) {
            return Syscalls.result((int) Handles.UNLINKAT.invokeExact(state, dirfd, arena.allocateFrom(path),
                    flags), state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code renameat(2)}.
     *
     * @param fromDirfd a directory descriptor or {@link #AT_FDCWD}
     * @param from      the current name
     * @param toDirfd   a directory descriptor or {@link #AT_FDCWD}
     * @param to        the new name
     * @return 0 or {@code -errno}
     */
    public static int renameat(int fromDirfd, String from, int toDirfd, String to) {
        MemorySegment state = Syscalls.state();
        try (Arena arena = Arena.ofConfined()) {
            return Syscalls.result((int) Handles.RENAMEAT.invokeExact(state, fromDirfd, arena.allocateFrom(from),
                    toDirfd, arena.allocateFrom(to)), state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code mkdirat(2)}.
     *
     * @param dirfd a directory descriptor or {@link #AT_FDCWD}
     * @param path  the new directory
     * @param mode  its permission bits before the umask
     * @return 0 or {@code -errno}
     */
    public static int mkdirat(int dirfd, String path, int mode) {
        MemorySegment state = Syscalls.state();
        try (Arena arena = Arena.ofConfined()) {
            return Syscalls.result((int) Handles.MKDIRAT.invokeExact(state, dirfd, arena.allocateFrom(path), mode),
                    state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code pread(2)}, or {@code read(2)} at the current position when {@code offset} is -1.
     *
     * @param fd     the file
     * @param buffer where to read to, its whole size
     * @param offset the file position, or -1 for the current one
     * @return bytes read, or {@code -errno}
     */
    public static long pread(int fd, MemorySegment buffer, long offset) {
        MemorySegment state = Syscalls.state();
        try {
            long r = offset < 0 ? (long) Handles.READ.invokeExact(state, fd, buffer, buffer.byteSize())
                    : (long) Handles.PREAD.invokeExact(state, fd, buffer, buffer.byteSize(), offset);
            return Syscalls.result(r, state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code pwrite(2)}, or {@code write(2)} at the current position when {@code offset} is -1.
     *
     * @param fd     the file
     * @param buffer what to write, its whole size
     * @param offset the file position, or -1 for the current one
     * @return bytes written, or {@code -errno}
     */
    public static long pwrite(int fd, MemorySegment buffer, long offset) {
        MemorySegment state = Syscalls.state();
        try {
            long r = offset < 0 ? (long) Handles.WRITE.invokeExact(state, fd, buffer, buffer.byteSize())
                    : (long) Handles.PWRITE.invokeExact(state, fd, buffer, buffer.byteSize(), offset);
            return Syscalls.result(r, state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code preadv(2)}, or {@code readv(2)} at the current position when {@code offset} is -1: fills the
     * segments an {@code iovec} array describes, in order. The kernel moves at most {@code 0x7ffff000} bytes.
     *
     * @param fd     the file
     * @param iovecs {@code count} {@code struct iovec}s, usable on the calling thread
     * @param count  how many, 1 to {@code IOV_MAX}
     * @param offset the file position, or -1 for the current one
     * @return bytes read, or {@code -errno}
     */
    public static long preadv(int fd, MemorySegment iovecs, int count, long offset) {
        MemorySegment state = Syscalls.state();
        try {
            long r = offset < 0 ? (long) Handles.READV.invokeExact(state, fd, iovecs, count)
                    : (long) Handles.PREADV.invokeExact(state, fd, iovecs, count, offset);
            return Syscalls.result(r, state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code pwritev(2)}, or {@code writev(2)} at the current position when {@code offset} is -1: writes the
     * segments an {@code iovec} array describes, in order. The kernel moves at most {@code 0x7ffff000} bytes.
     *
     * @param fd     the file
     * @param iovecs {@code count} {@code struct iovec}s, usable on the calling thread
     * @param count  how many, 1 to {@code IOV_MAX}
     * @param offset the file position, or -1 for the current one
     * @return bytes written, or {@code -errno}
     */
    public static long pwritev(int fd, MemorySegment iovecs, int count, long offset) {
        MemorySegment state = Syscalls.state();
        try {
            long r = offset < 0 ? (long) Handles.WRITEV.invokeExact(state, fd, iovecs, count)
                    : (long) Handles.PWRITEV.invokeExact(state, fd, iovecs, count, offset);
            return Syscalls.result(r, state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }

    /**
     * {@code close(2)}.
     *
     * @param fd the descriptor, not used again whatever the result
     * @return 0 or {@code -errno}
     */
    public static int close(int fd) {
        MemorySegment state = Syscalls.state();
        try {
            return Syscalls.result((int) Handles.CLOSE.invokeExact(state, fd), state);
        } catch (Throwable t) {
            throw Syscalls.rethrow(t);
        }
    }
}
