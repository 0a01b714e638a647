package dev.aioops.epoll.internal;

import dev.aioops.linux.internal.FileCalls;
import dev.aioops.linux.internal.OpenFlags;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.internal.ErrnoMapping;

import java.util.Set;

/**
 * The blocking file work a pool thread performs for an {@link Op}: the system call itself on the file's raw
 * descriptor ({@link FileCalls}), positional like {@code AsynchronousFileChannel}'s {@code pread} and
 * {@code pwrite}, and the calls {@code java.nio} has no form of ({@code openat2}, {@code statx},
 * {@code fallocate}, the {@code *at} calls relative to a directory handle).
 */
final class FileIo {

    private FileIo() {
    }

    /**
     * Performs a file operation. Pool thread.
     *
     * @param op a file operation; its {@link Op#resource} is the file or the directory its path is relative to
     * @return its result, {@code -errno} on failure
     */
    static int perform(Op op) {
        try {
            int fd = op.resource instanceof FileResource f ? f.fd : FileCalls.AT_FDCWD;
            return switch (op.kind) {
                case Op.READ -> op.vector != null
                        ? (int) FileCalls.preadv(fd, Buffers.usable(op.vector.iovecs()), op.vector.count(), op.offset)
                        : (int) FileCalls.pread(fd, Buffers.usable(op.buffer), op.offset);
                case Op.WRITE -> op.vector != null
                        ? (int) FileCalls.pwritev(fd, Buffers.usable(op.vector.iovecs()), op.vector.count(), op.offset)
                        : (int) FileCalls.pwrite(fd, Buffers.usable(op.buffer), op.offset);
                case Op.FSYNC -> FileCalls.sync(fd, false);
                case Op.FDATASYNC -> FileCalls.sync(fd, true);
                case Op.FTRUNCATE -> FileCalls.ftruncate(fd, op.offset);
                case Op.FALLOCATE -> FileCalls.fallocate(fd, 0, op.offset, op.length);
                case Op.FSTAT -> FileCalls.statx(fd, "", FileCalls.AT_EMPTY_PATH, op.stat.struct());
                case Op.STAT -> FileCalls.statx(fd, op.path, op.flags, op.stat.struct());
                case Op.UNLINK -> FileCalls.unlinkat(fd, op.path, op.flags);
                case Op.MKDIR -> FileCalls.mkdirat(fd, op.path, op.flags);
                case Op.RENAME -> FileCalls.renameat(fd, op.path, toDirectory(op), op.toPath);
                case Op.OPEN -> open(fd, op);
                case Op.SENDFILE -> op.sendFile.step();
                default -> -AioErrno.EINVAL;
            };
        } catch (Throwable e) {
            return ErrnoMapping.result(e);
        }
    }

    private static int toDirectory(Op op) {
        if (op.toDirectory != null) {
            return op.toDirectory.fd;
        }
        if (op.toHandle == op.handle && op.resource instanceof FileResource same) {
            return same.fd;
        }
        return FileCalls.AT_FDCWD;
    }

    private static int open(int directory, Op op) {
        Set<AioOpenOption> options = op.options;
        int flags = OpenFlags.of(options);
        long resolve = OpenFlags.resolve(options);
        int fd = resolve == 0 && !FileCalls.hasOpenat2()
                ? FileCalls.openat(directory, op.path, flags, OpenFlags.CREATE_MODE)
                : FileCalls.openat2(directory, op.path, flags, OpenFlags.CREATE_MODE, resolve);
        if (fd < 0) {
            return fd;
        }
        op.opened = fd;
        return 0;
    }

    /**
     * The resource of a descriptor an open gave. Loop.
     *
     * @param op the open
     * @return its new file or directory
     */
    static FileResource opened(Op op) {
        Set<AioOpenOption> options = op.options;
        boolean write = options.contains(AioOpenOption.WRITE) || options.contains(AioOpenOption.APPEND);
        boolean read = options.contains(AioOpenOption.READ) || !write;
        return new FileResource(op.opened, read, write, options.contains(AioOpenOption.DIRECTORY));
    }
}
