package dev.aioops.uring.internal;

import dev.aioops.linux.internal.OpenFlags;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioFileOperations;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioStat;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Set;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The file-system operations of the ring ({@code AioFileOperations}): one method per operation, each finding its
 * handles, taking an op slot and encoding one SQE ({@code OPENAT}/{@code OPENAT2}, {@code STATX},
 * {@code FSYNC} with {@code DATASYNC}, {@code FTRUNCATE}, {@code FALLOCATE}, {@code UNLINKAT}, {@code RENAMEAT},
 * {@code MKDIRAT}). A directory handle a path is relative to is pinned like the file of a read (its in-flight
 * count), so that closing it waits for the operation; so is a rename's second directory. Loop thread only.
 */
final class RingFileOperations {

    /** The empty C string of an {@code AT_EMPTY_PATH} stat, for the life of the process. */
    private static final MemorySegment EMPTY_PATH = java.lang.foreign.Arena.global().allocate(1);

    private final RingOperations ops;
    private final OpSlots slots;
    private final FdTable fds;
    private final RingDriver driver;
    private final MemorySegment sqes;
    private final OpcodeSupport kernel;
    private final PathMemory.Pool paths;

    RingFileOperations(RingOperations ops, OpSlots slots, FdTable fds, RingDriver driver, OpcodeSupport kernel,
                       Arena memory) {
        this.paths = new PathMemory.Pool(memory);
        this.ops = ops;
        this.slots = slots;
        this.fds = fds;
        this.driver = driver;
        this.sqes = driver.sqes();
        this.kernel = kernel;
    }

    /** Whether confined opens work here: the kernel has {@code IORING_OP_OPENAT2} (Linux 5.6). */
    boolean confinedOpens() {
        return kernel.has(UringLayout.OP_OPENAT2);
    }

    /** 0 if {@code handle} may be a path's directory, else why not: {@code -EBADF} or {@code -ENOTDIR}. */
    private int directoryError(int handle) {
        if (handle == AioFileOperations.WORKING_DIRECTORY) {
            return 0;
        }
        FdTable.Entry e = fds.get(handle);
        return e == null || e.closing ? -AioErrno.EBADF : e.kind != FdTable.DIRECTORY ? -AioErrno.ENOTDIR : 0;
    }

    /**
     * Pins a directory handle a path is relative to (nothing for {@code WORKING_DIRECTORY}), after
     * {@link #directoryError} found it usable.
     *
     * @return its descriptor, or {@code AT_FDCWD}
     */
    private int pin(int directory) {
        if (directory == AioFileOperations.WORKING_DIRECTORY) {
            return UringLayout.AT_FDCWD;
        }
        FdTable.Entry e = fds.get(directory);
        e.inflight++;
        return e.fd;
    }

    long openAt(int directory, String path, Set<AioOpenOption> options, Object attachment,
                AioCompletion<Object> completion, long remote) {
        long resolve = OpenFlags.resolve(options);
        int opcode = resolve != 0 ? UringLayout.OP_OPENAT2 : UringLayout.OP_OPENAT;
        if (!kernel.has(opcode)) {
            return ops.completeNow(-AioErrno.EOPNOTSUPP, attachment, completion, remote);
        }
        int refused = directoryError(directory);
        if (refused != 0) {
            return ops.completeNow(refused, attachment, completion, remote);
        }
        int flags = OpenFlags.of(options);
        PathMemory memory = paths.take(null);
        long cPath = memory.path(path);
        int s = slots.alloc(OpSlots.OPEN, Math.max(directory, -1), attachment, completion, memory);
        slots.aux[s] = options.contains(AioOpenOption.DIRECTORY) ? 1 : 0;
        int dirFd = pin(directory);
        if (resolve == 0) {
            SqeEncoder.openat(sqes, driver.sqe(), dirFd, cPath, flags, OpenFlags.CREATE_MODE, slots.token(s));
        } else {
            MemorySegment how = memory.allocate(UringLayout.OPEN_HOW_SIZE);
            how.set(JAVA_LONG, UringLayout.OPEN_HOW_FLAGS, Integer.toUnsignedLong(flags));
            // openat2, unlike openat, refuses a mode without O_CREAT.
            how.set(JAVA_LONG, UringLayout.OPEN_HOW_MODE, (flags & OpenFlags.O_CREAT) != 0 ? OpenFlags.CREATE_MODE : 0);
            how.set(JAVA_LONG, UringLayout.OPEN_HOW_RESOLVE, resolve);
            SqeEncoder.openat2(sqes, driver.sqe(), dirFd, cPath, how.address(), slots.token(s));
        }
        return ops.track(s, remote);
    }

    /** How a path operation is encoded: given its directory's descriptor, its memory, its SQE's offset and token. */
    @FunctionalInterface
    private interface PathEncoder {
        void encode(int dirFd, PathMemory memory, long at, long token);
    }

    /**
     * A path operation relative to {@code directory}: {@code -EOPNOTSUPP} without its opcode, {@code -EBADF} or
     * {@code -ENOTDIR} for a bad directory, else one SQE with the directory pinned until the CQE.
     */
    private long onPath(int opcode, int directory, Object target, Object attachment, AioCompletion<Object> completion,
                        long remote, PathEncoder encoder) {
        if (!kernel.has(opcode)) {
            return ops.completeNow(-AioErrno.EOPNOTSUPP, attachment, completion, remote);
        }
        int refused = directoryError(directory);
        if (refused != 0) {
            return ops.completeNow(refused, attachment, completion, remote);
        }
        PathMemory memory = paths.take(target);
        int s = slots.alloc(OpSlots.PATH, Math.max(directory, -1), attachment, completion, memory);
        encoder.encode(pin(directory), memory, driver.sqe(), slots.token(s));
        return ops.track(s, remote);
    }

    long stat(int directory, String path, boolean followLinks, AioStat into, Object attachment,
              AioCompletion<Object> completion, long remote) {
        // Not through onPath: its encoder would capture the arguments, one allocation per stat.
        int refused = !kernel.has(UringLayout.OP_STATX) ? -AioErrno.EOPNOTSUPP : directoryError(directory);
        if (refused != 0) {
            return ops.completeNow(refused, attachment, completion, remote);
        }
        PathMemory memory = paths.take(into);
        int s = slots.alloc(OpSlots.PATH, Math.max(directory, -1), attachment, completion, memory);
        SqeEncoder.statx(sqes, driver.sqe(), pin(directory), memory.path(path),
                followLinks ? 0 : UringLayout.AT_SYMLINK_NOFOLLOW, UringLayout.STATX_BASIC_STATS,
                into.struct().address(), slots.token(s));
        return ops.track(s, remote);
    }

    long fstat(int handle, AioStat into, Object attachment, AioCompletion<Object> completion, long remote) {
        FdTable.Entry e = fds.get(handle);
        if (e == null || e.closing || (e.kind != FdTable.FILE && e.kind != FdTable.DIRECTORY)) {
            return ops.completeNow(-AioErrno.EBADF, attachment, completion, remote);
        }
        if (!kernel.has(UringLayout.OP_STATX)) {
            return ops.completeNow(-AioErrno.EOPNOTSUPP, attachment, completion, remote);
        }
        // No memory of its own: the empty path is a constant, and the slot keeps the caller's holder reachable.
        int s = slots.alloc(OpSlots.FSYNC, handle, attachment, completion, into);
        e.inflight++;
        SqeEncoder.statx(sqes, driver.sqe(), e.fd, EMPTY_PATH.address(), UringLayout.AT_EMPTY_PATH,
                UringLayout.STATX_BASIC_STATS, into.struct().address(), slots.token(s));
        return ops.track(s, remote);
    }

    long fdatasync(int handle, Object attachment, AioCompletion<Object> completion, long remote) {
        return onFile(handle, UringLayout.OP_FSYNC, attachment, completion, remote,
                (fd, at, token) -> SqeEncoder.fsync(sqes, at, fd, UringLayout.FSYNC_DATASYNC, token));
    }

    long ftruncate(int handle, long length, Object attachment, AioCompletion<Object> completion, long remote) {
        return onFile(handle, UringLayout.OP_FTRUNCATE, attachment, completion, remote,
                (fd, at, token) -> SqeEncoder.ftruncate(sqes, at, fd, length, token));
    }

    long fallocate(int handle, long offset, long length, Object attachment, AioCompletion<Object> completion,
                   long remote) {
        return onFile(handle, UringLayout.OP_FALLOCATE, attachment, completion, remote,
                (fd, at, token) -> SqeEncoder.fallocate(sqes, at, fd, 0, offset, length, token));
    }

    /** How an operation on one open descriptor is encoded, given the descriptor, its SQE's offset and its token. */
    @FunctionalInterface
    private interface Encoder {
        void encode(int fd, long at, long token);
    }

    /**
     * An operation on an open descriptor of this instance: {@code -EBADF} for an unknown one, else the kernel's
     * answer for whatever it is (so a socket's fdatasync is {@code -EINVAL}, as {@code fdatasync(2)} says).
     */
    private long onFile(int handle, int opcode, Object attachment, AioCompletion<Object> completion, long remote,
                        Encoder encoder) {
        FdTable.Entry e = fds.get(handle);
        if (e == null || e.closing) {
            return ops.completeNow(-AioErrno.EBADF, attachment, completion, remote);
        }
        if (!kernel.has(opcode)) {
            return ops.completeNow(-AioErrno.EOPNOTSUPP, attachment, completion, remote);
        }
        int s = slots.alloc(OpSlots.FSYNC, handle, attachment, completion, null);
        e.inflight++;
        encoder.encode(e.fd, driver.sqe(), slots.token(s));
        return ops.track(s, remote);
    }

    long unlink(int directory, String path, boolean directoryEntry, Object attachment,
                AioCompletion<Object> completion, long remote) {
        return onPath(UringLayout.OP_UNLINKAT, directory, null, attachment, completion, remote,
                (dirFd, memory, at, token) -> SqeEncoder.unlinkat(sqes, at, dirFd, memory.path(path),
                        directoryEntry ? UringLayout.AT_REMOVEDIR : 0, token));
    }

    long rename(int fromDirectory, String from, int toDirectory, String to, Object attachment,
                AioCompletion<Object> completion, long remote) {
        if (!kernel.has(UringLayout.OP_RENAMEAT)) {
            return ops.completeNow(-AioErrno.EOPNOTSUPP, attachment, completion, remote);
        }
        int refused = directoryError(fromDirectory);
        if (refused == 0) {
            refused = directoryError(toDirectory);
        }
        if (refused != 0) {
            return ops.completeNow(refused, attachment, completion, remote);
        }
        PathMemory memory = paths.take(null);
        long cFrom = memory.path(from);
        long cTo = memory.path(to);
        int s = slots.alloc(OpSlots.PATH, Math.max(fromDirectory, -1), attachment, completion, memory);
        int fromFd = pin(fromDirectory);
        int toFd = fromFd;
        if (toDirectory != fromDirectory) {
            // The second directory's handle in aux, pinned like the first (none for the working directory).
            slots.aux[s] = Math.max(toDirectory, -1);
            toFd = pin(toDirectory);
        }
        SqeEncoder.renameat(sqes, driver.sqe(), fromFd, cFrom, toFd, cTo, slots.token(s));
        return ops.track(s, remote);
    }

    long mkdir(int directory, String path, int mode, Object attachment, AioCompletion<Object> completion,
               long remote) {
        return onPath(UringLayout.OP_MKDIRAT, directory, null, attachment, completion, remote,
                (dirFd, memory, at, token) -> SqeEncoder.mkdirat(sqes, at, dirFd, memory.path(path), mode, token));
    }
}
