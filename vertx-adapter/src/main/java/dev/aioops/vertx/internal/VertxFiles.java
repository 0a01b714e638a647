package dev.aioops.vertx.internal;

import dev.aioops.linux.internal.FileCalls;
import dev.aioops.linux.internal.OpenFlags;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioFileOperations;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioStat;
import dev.aioops.spi.internal.ErrnoMapping;
import io.vertx.core.WorkerExecutor;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The file operations of the Vert.x-native mode: each system call ({@link FileCalls}, on raw descriptors) runs on
 * a thread of a Vert.x {@link WorkerExecutor} and completes on the loop. The handles an operation names (its file,
 * or the directories its paths are relative to) are pinned while it runs, so that a descriptor is never closed
 * under a system call.
 *
 * <p>Methods named "loop" run on the engine's loop; {@link #runOnWorker} on a worker thread.
 */
final class VertxFiles {

    /** The canceller of every operation handed to a worker: it withdraws one that no worker has started. */
    static final Canceller WORKER = VertxFiles::withdraw;

    private final VertxEngine engine;
    private final WorkerExecutor workers;
    private final AtomicInteger workersRunning = new AtomicInteger();
    private final Object workerMonitor = new Object();
    /** Operations still on a worker thread when a close timed out. Loop thread only. */
    final Set<Op> held = new HashSet<>();

    VertxFiles(VertxEngine engine, WorkerExecutor workers) {
        this.engine = engine;
        this.workers = workers;
    }

    // ------------------------------------------------------------------------------------------- on the loop

    /** Loop: starts a file-system operation that names no open file (its handle, if any, is a directory). */
    void pathOperation(Op op) {
        FileHandle first = directory(op, op.handle);
        if (first == null && op.handle != AioFileOperations.WORKING_DIRECTORY) {
            return;
        }
        FileHandle second = null;
        if (op.argument instanceof RenameRequest rename) {
            second = directory(op, rename.toDirectory());
            if (second == null && rename.toDirectory() != AioFileOperations.WORKING_DIRECTORY) {
                return;
            }
        }
        if (op.kind == Op.Kind.OPEN) {
            Set<AioOpenOption> options = ((OpenRequest) op.argument).options();
            if (OpenFlags.resolve(options) != 0 && !FileCalls.hasOpenat2()) {
                engine.complete(op, -AioErrno.EOPNOTSUPP);
                return;
            }
            if (options.contains(AioOpenOption.DIRECT)) {
                engine.complete(op, -AioErrno.EOPNOTSUPP);
                return;
            }
        }
        submit(op, first, second);
    }

    /**
     * The directory handle a path is relative to, or null: for {@link AioFileOperations#WORKING_DIRECTORY}, and
     * when the operation was completed with {@code -EBADF} or {@code -ENOTDIR} here.
     */
    private FileHandle directory(Op op, int handle) {
        if (handle == AioFileOperations.WORKING_DIRECTORY) {
            return null;
        }
        AioHandle h = engine.handle(handle);
        if (h instanceof FileHandle f && f.directory) {
            return f;
        }
        engine.complete(op, h == null ? -AioErrno.EBADF : -AioErrno.ENOTDIR);
        return null;
    }

    /** Loop: starts an operation on an open file (read, write, the syncs, ftruncate, fallocate, fstat). */
    void fileOperation(Op op, FileHandle file) {
        if ((op.kind == Op.Kind.WRITE || op.kind == Op.Kind.WRITEV) && !file.writable) {
            engine.complete(op, -AioErrno.EBADF);
            return;
        }
        // A directory too: the kernel's answer (EISDIR, EINVAL, EBADF) is the contract's.
        submit(op, file, null);
    }

    private void submit(Op op, FileHandle first, FileHandle second) {
        op.canceller = WORKER;
        if (first != null) {
            first.pin(op);
        }
        if (second != null && second != first) {
            second.pin(op);
            op.target = second;
        }
        op.resource = first;
        workers.executeBlocking(() -> {
            runOnWorker(op);
            return null;
        }, false).onComplete(ar -> {
            engine.enter();
            try {
                returned(op);
            } finally {
                engine.exit();
            }
        });
    }

    /** A cancel takes an operation that no worker has started. */
    private static boolean withdraw(Op op) {
        if (!op.casWorkerState(Op.PENDING, Op.CANCELLED)) {
            return false;
        }
        unpin(op);
        return true;
    }

    private static void unpin(Op op) {
        if (op.resource instanceof FileHandle f) {
            f.unpinned(op);
        }
        if (op.target instanceof FileHandle f) {
            f.unpinned(op);
        }
    }

    /** Loop: an operation came back from the worker executor (finished, cancelled, or refused by it). */
    private void returned(Op op) {
        if (op.returnedFromWorker) {
            // Settled already at close (settleAtClose); this is the executor's own callback arriving after it.
            // Finishing twice would close an opened descriptor twice, by then perhaps another file's number.
            return;
        }
        op.returnedFromWorker = true;
        if (held.remove(op) && held.isEmpty()) {
            try {
                finished(op);
            } finally {
                workers.close();
                engine.kernelLetGo();
            }
            return;
        }
        finished(op);
    }

    private void finished(Op op) {
        if (op.kind == Op.Kind.SENDFILE) {
            engine.sendFiles().afterWorker(op);
            unpin(op);
            return;
        }
        if (!op.done) {
            if (op.workerState() == Op.FINISHED) {
                if (op.kind == Op.Kind.OPEN) {
                    opened(op);
                } else {
                    engine.complete(op, op.workerResult);
                }
            } else if (op.casWorkerState(Op.PENDING, Op.CANCELLED)) {
                engine.complete(op, -AioErrno.ECANCELED);
            }
        }
        unpin(op);
    }

    private void opened(Op op) {
        int fd = op.workerResult;
        if (fd < 0) {
            engine.complete(op, fd);
            return;
        }
        Set<AioOpenOption> options = ((OpenRequest) op.argument).options();
        boolean writable = options.contains(AioOpenOption.WRITE) || options.contains(AioOpenOption.APPEND);
        engine.completeWithNewHandle(op, new FileHandle(engine, this, fd, writable,
                options.contains(AioOpenOption.DIRECTORY)));
    }

    // -------------------------------------------------------------------------------------------- on a worker

    private void runOnWorker(Op op) {
        // Counted before the state change, so that a close never sees 0 while a worker may still start a call.
        workersRunning.incrementAndGet();
        try {
            if (!op.casWorkerState(Op.PENDING, Op.RUNNING)) {
                return;
            }
            int result;
            try {
                result = perform(op);
            } catch (Throwable t) {
                result = ErrnoMapping.result(t);
            }
            op.workerResult = result;
            op.setWorkerState(Op.FINISHED);
        } finally {
            if (workersRunning.decrementAndGet() == 0) {
                synchronized (workerMonitor) {
                    workerMonitor.notifyAll();
                }
            }
        }
    }

    private static int perform(Op op) {
        int fd = op.resource instanceof FileHandle f ? f.fd : FileCalls.AT_FDCWD;
        return switch (op.kind) {
            case READ -> clamp(FileCalls.pread(fd, op.view, op.offset));
            case WRITE -> clamp(FileCalls.pwrite(fd, op.view, op.offset));
            case READV -> clamp(FileCalls.preadv(fd, VertxVectors.iovecs(op), VertxVectors.count(op), op.offset));
            case WRITEV -> clamp(FileCalls.pwritev(fd, VertxVectors.iovecs(op), VertxVectors.count(op), op.offset));
            case FSYNC -> FileCalls.sync(fd, false);
            case FDATASYNC -> FileCalls.sync(fd, true);
            case FTRUNCATE -> FileCalls.ftruncate(fd, op.offset);
            case FALLOCATE -> {
                FallocateRequest range = (FallocateRequest) op.argument;
                yield FileCalls.fallocate(fd, 0, range.offset(), range.length());
            }
            case FSTAT -> FileCalls.statx(fd, "", FileCalls.AT_EMPTY_PATH, ((AioStat) op.argument).struct());
            case OPEN -> open(fd, (OpenRequest) op.argument);
            case SENDFILE -> VertxSendFiles.openOnWorker((VertxSendFiles.Send) op.argument, fd);
            case STAT -> {
                StatRequest stat = (StatRequest) op.argument;
                yield FileCalls.statx(fd, stat.path(), stat.followLinks() ? 0 : FileCalls.AT_SYMLINK_NOFOLLOW,
                        stat.into().struct());
            }
            case UNLINK -> {
                UnlinkRequest unlink = (UnlinkRequest) op.argument;
                yield FileCalls.unlinkat(fd, unlink.path(), unlink.directoryEntry() ? FileCalls.AT_REMOVEDIR : 0);
            }
            case RENAME -> {
                RenameRequest rename = (RenameRequest) op.argument;
                int to = op.target instanceof FileHandle f ? f.fd
                        : rename.toDirectory() == op.handle && op.resource instanceof FileHandle same ? same.fd
                        : FileCalls.AT_FDCWD;
                yield FileCalls.renameat(fd, rename.from(), to, rename.to());
            }
            case MKDIR -> {
                MkdirRequest mkdir = (MkdirRequest) op.argument;
                yield FileCalls.mkdirat(fd, mkdir.path(), mkdir.mode());
            }
            default -> throw new IllegalStateException("not a file operation: " + op);
        };
    }

    private static int open(int directory, OpenRequest request) {
        Set<AioOpenOption> options = request.options();
        int flags = OpenFlags.of(options);
        long resolve = OpenFlags.resolve(options);
        String path = request.path().toString();
        if (resolve == 0 && !FileCalls.hasOpenat2()) {
            return FileCalls.openat(directory, path, flags, OpenFlags.CREATE_MODE);
        }
        return FileCalls.openat2(directory, path, flags, OpenFlags.CREATE_MODE, resolve);
    }

    /** A transfer's size as an {@code int} result (at most {@code 0x7ffff000} bytes move at once on Linux). */
    private static int clamp(long n) {
        return (int) n;
    }

    // ---------------------------------------------------------------------------------------------- closing

    /**
     * Loop, at close: waits, bounded, until no worker is inside a system call.
     *
     * @param timeoutNanos the most to wait
     * @return whether every worker returned
     */
    boolean awaitWorkers(long timeoutNanos) {
        long deadline = System.nanoTime() + timeoutNanos;
        synchronized (workerMonitor) {
            while (workersRunning.get() > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return false;
                }
                try {
                    workerMonitor.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Loop, at close: an operation a worker had started has come back or is still out.
     *
     * @param op the operation
     */
    void settleAtClose(Op op) {
        if (op.workerState() == Op.FINISHED) {
            returned(op);
        } else {
            held.add(op);
        }
    }

    /** Loop, at close once no operation is held: stops the worker executor. */
    void close() {
        workers.close();
    }
}
