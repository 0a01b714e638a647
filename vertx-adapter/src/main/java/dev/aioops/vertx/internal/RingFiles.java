package dev.aioops.vertx.internal;

import dev.aioops.linux.internal.OpenFlags;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioFileOperations;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioStat;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.IntPredicate;
import java.util.function.ObjIntConsumer;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The file-system operations of the shared ring: each encoded into the one SQE of its {@link RingEngine} with the
 * io_uring adapter's encoders ({@code OPENAT}/{@code OPENAT2}, {@code STATX}, {@code FSYNC} with
 * {@code DATASYNC}, {@code FTRUNCATE}, {@code FALLOCATE}, {@code UNLINKAT}, {@code RENAMEAT}, {@code MKDIRAT}).
 * The paths live in a {@link Memory} until the completion; the directory a path is relative to is the operation's
 * target, counted in flight like the file of a read, and a rename's second directory is counted in its memory.
 * Which opcodes Netty's ring has is the kernel's: an operation whose opcode is missing completes with
 * {@code -EOPNOTSUPP} ({@link #kernelHas}). Loop thread only.
 */
final class RingFiles {

    /** The native memory of one operation and the second directory it pins; closed with its completion. */
    static final class Memory implements AutoCloseable {
        final Arena arena = Arena.ofConfined();
        /** A rename's second directory, or null. */
        RingFd second;
        /** What the kernel writes into (an {@code AioStat}), kept reachable until the completion. */
        Object target;

        long path(String path) {
            byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
            MemorySegment c = arena.allocate(bytes.length + 1L);
            MemorySegment.copy(bytes, 0, c, JAVA_BYTE, 0, bytes.length);
            return c.address();
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    private final MemorySegment sqe;
    private final BiConsumer<Op, RingFd> submit;
    private final ObjIntConsumer<Op> complete;
    private final RingFds fds;
    private final IntPredicate kernelHas;

    /**
     * @param sqe       the engine's SQE scratch (loop thread only), to encode into
     * @param submit    submits the encoded SQE, counting the target descriptor in flight
     * @param complete  completes an operation that never reached the ring
     * @param fds       the engine's descriptors
     * @param kernelHas whether the kernel has an opcode
     */
    RingFiles(MemorySegment sqe, BiConsumer<Op, RingFd> submit, ObjIntConsumer<Op> complete,
              RingFds fds, IntPredicate kernelHas) {
        this.sqe = sqe;
        this.submit = submit;
        this.complete = complete;
        this.fds = fds;
        this.kernelHas = kernelHas;
    }

    /** Loop: encodes and submits a file-system operation, or completes it with its errno. */
    void start(Op op) {
        int opcode = opcode(op);
        if (!kernelHas.test(opcode)) {
            complete.accept(op, -AioErrno.EOPNOTSUPP);
            return;
        }
        switch (op.kind) {
            case FSTAT, FDATASYNC, FTRUNCATE, FALLOCATE -> onFile(op);
            default -> onPath(op);
        }
    }

    private static int opcode(Op op) {
        return switch (op.kind) {
            case OPEN -> OpenFlags.resolve(((OpenRequest) op.argument).options()) != 0
                    ? UringLayout.OP_OPENAT2 : UringLayout.OP_OPENAT;
            case STAT, FSTAT -> UringLayout.OP_STATX;
            case FDATASYNC -> UringLayout.OP_FSYNC;
            case FTRUNCATE -> UringLayout.OP_FTRUNCATE;
            case FALLOCATE -> UringLayout.OP_FALLOCATE;
            case UNLINK -> UringLayout.OP_UNLINKAT;
            case RENAME -> UringLayout.OP_RENAMEAT;
            case MKDIR -> UringLayout.OP_MKDIRAT;
            default -> throw new IllegalStateException("not a file-system operation: " + op);
        };
    }

    private void onFile(Op op) {
        RingFd f = fds.get(op.handle);
        boolean fileOrDirectory = f != null && (f.kind == RingFd.Kind.FILE || f.kind == RingFd.Kind.DIRECTORY);
        if (f == null || f.closing || (op.kind == Op.Kind.FSTAT && !fileOrDirectory)) {
            complete.accept(op, -AioErrno.EBADF);
            return;
        }
        switch (op.kind) {
            case FSTAT -> {
                Memory memory = new Memory();
                AioStat into = (AioStat) op.argument;
                memory.target = into;
                op.resource = memory;
                SqeEncoder.statx(sqe, 0, f.fd, memory.path(""), UringLayout.AT_EMPTY_PATH,
                        UringLayout.STATX_BASIC_STATS, into.struct().address(), op.token);
            }
            case FDATASYNC -> SqeEncoder.fsync(sqe, 0, f.fd, UringLayout.FSYNC_DATASYNC, op.token);
            case FTRUNCATE -> SqeEncoder.ftruncate(sqe, 0, f.fd, op.offset, op.token);
            case FALLOCATE -> {
                FallocateRequest range = (FallocateRequest) op.argument;
                SqeEncoder.fallocate(sqe, 0, f.fd, 0, range.offset(), range.length(), op.token);
            }
            default -> throw new IllegalStateException("not an operation on a file: " + op);
        }
        submit.accept(op, f);
    }

    /**
     * The directory handle a path is relative to: null for the working directory (then {@code AT_FDCWD}); after
     * completing the operation with {@code -EBADF} or {@code -ENOTDIR}, {@link #REFUSED}.
     */
    private RingFd directory(Op op, int handle) {
        if (handle == AioFileOperations.WORKING_DIRECTORY) {
            return null;
        }
        RingFd d = fds.get(handle);
        if (d == null || d.closing || d.kind != RingFd.Kind.DIRECTORY) {
            complete.accept(op, d == null || d.closing ? -AioErrno.EBADF : -AioErrno.ENOTDIR);
            return REFUSED;
        }
        return d;
    }

    private static final RingFd REFUSED = new RingFd(-1, -1, RingFd.Kind.DIRECTORY, false);

    private static int fdOf(RingFd directory) {
        return directory == null ? UringLayout.AT_FDCWD : directory.fd;
    }

    private void onPath(Op op) {
        RingFd directory = directory(op, op.handle);
        if (directory == REFUSED) {
            return;
        }
        RingFd second = null;
        if (op.argument instanceof RenameRequest rename && rename.toDirectory() != op.handle) {
            second = directory(op, rename.toDirectory());
            if (second == REFUSED) {
                return;
            }
        }
        Memory memory = new Memory();
        op.resource = memory;
        int dirFd = fdOf(directory);
        switch (op.argument) {
            case OpenRequest open -> encodeOpen(sqe, dirFd, memory, open, op.token);
            case StatRequest stat -> {
                memory.target = stat.into();
                SqeEncoder.statx(sqe, 0, dirFd, memory.path(stat.path()),
                        stat.followLinks() ? 0 : UringLayout.AT_SYMLINK_NOFOLLOW, UringLayout.STATX_BASIC_STATS,
                        stat.into().struct().address(), op.token);
            }
            case UnlinkRequest unlink -> SqeEncoder.unlinkat(sqe, 0, dirFd, memory.path(unlink.path()),
                    unlink.directoryEntry() ? UringLayout.AT_REMOVEDIR : 0, op.token);
            case RenameRequest rename -> SqeEncoder.renameat(sqe, 0, dirFd, memory.path(rename.from()),
                    rename.toDirectory() == op.handle ? dirFd : fdOf(second), memory.path(rename.to()), op.token);
            case MkdirRequest mkdir -> SqeEncoder.mkdirat(sqe, 0, dirFd, memory.path(mkdir.path()), mkdir.mode(),
                    op.token);
            default -> throw new IllegalStateException("not a path operation: " + op);
        }
        if (second != null) {
            memory.second = second;
            second.inFlight++;
        }
        submit.accept(op, directory);
    }

    private static void encodeOpen(MemorySegment sqe, int dirFd, Memory memory, OpenRequest open, long token) {
        Set<AioOpenOption> options = open.options();
        int flags = OpenFlags.of(options);
        long resolve = OpenFlags.resolve(options);
        long path = memory.path(open.path().toString());
        if (resolve == 0) {
            SqeEncoder.openat(sqe, 0, dirFd, path, flags, OpenFlags.CREATE_MODE, token);
            return;
        }
        MemorySegment how = memory.arena.allocate(UringLayout.OPEN_HOW_SIZE, 8);
        how.set(JAVA_LONG, UringLayout.OPEN_HOW_FLAGS, Integer.toUnsignedLong(flags));
        // openat2, unlike openat, refuses a mode without O_CREAT.
        how.set(JAVA_LONG, UringLayout.OPEN_HOW_MODE, (flags & OpenFlags.O_CREAT) != 0 ? OpenFlags.CREATE_MODE : 0);
        how.set(JAVA_LONG, UringLayout.OPEN_HOW_RESOLVE, resolve);
        SqeEncoder.openat2(sqe, 0, dirFd, path, how.address(), token);
    }

    /** The kind of descriptor an open gives. */
    static RingFd.Kind openedKind(Op op) {
        return ((OpenRequest) op.argument).options().contains(AioOpenOption.DIRECTORY)
                ? RingFd.Kind.DIRECTORY : RingFd.Kind.FILE;
    }
}
