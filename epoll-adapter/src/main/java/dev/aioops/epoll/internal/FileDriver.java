package dev.aioops.epoll.internal;

import dev.aioops.linux.internal.FileCalls;
import dev.aioops.linux.internal.OpenFlags;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioFileOperations;

import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Files on a bounded pool of threads, as {@code AsynchronousFileChannel} does on Linux: the loop hands an
 * operation to the pool, a pool thread performs it ({@link FileIo}) and hands it back through the loop's inbox,
 * and the loop completes it. A file's descriptor is closed only when none of its operations is still running.
 * Loop-confined, apart from the pool threads running {@link Op#run()}.
 */
final class FileDriver implements OpCanceller {

    private final ThreadPoolExecutor pool;
    private final HandleTable handles;
    private final CompletionQueue completions;

    FileDriver(int threads, boolean daemon, String namePrefix, HandleTable handles, CompletionQueue completions) {
        this.handles = handles;
        this.completions = completions;
        AtomicInteger count = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                task -> {
                    Thread t = new Thread(task, namePrefix + count.incrementAndGet());
                    t.setDaemon(daemon);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Starts an operation on a path (open, stat, unlink, rename, mkdir), relative to the directory handle in
     * {@link Op#handle} (and, for a rename, {@link Op#toHandle}) or to the working directory.
     */
    void pathOperation(Op op) {
        FileResource directory = directory(op, op.handle);
        if (directory == null && op.handle != AioFileOperations.WORKING_DIRECTORY) {
            return;
        }
        if (op.kind == Op.RENAME && op.toHandle != op.handle) {
            op.toDirectory = directory(op, op.toHandle);
            if (op.toDirectory == null && op.toHandle != AioFileOperations.WORKING_DIRECTORY) {
                return;
            }
        }
        if (op.kind == Op.OPEN && OpenFlags.resolve(op.options) != 0 && !FileCalls.hasOpenat2()) {
            completions.finish(op, -AioErrno.EOPNOTSUPP);
            return;
        }
        if (op.toDirectory != null) {
            op.toDirectory.secondUses++;
        }
        submit(op, directory);
    }

    /** The directory handle a path is relative to; null for the working directory or after completing with an errno. */
    private FileResource directory(Op op, int handle) {
        if (handle == AioFileOperations.WORKING_DIRECTORY) {
            return null;
        }
        Resource r = handles.get(handle);
        if (r instanceof FileResource f && f.directory) {
            return f;
        }
        completions.finish(op, r == null ? -AioErrno.EBADF : -AioErrno.ENOTDIR);
        return null;
    }

    /** Starts an operation on the open file {@link Op#handle} names: fsync, fdatasync, ftruncate, fallocate, fstat. */
    void fileOperation(Op op) {
        switch (handles.get(op.handle)) {
            // A directory too: the kernel's answer (EINVAL, EBADF) is the contract's.
            case FileResource f -> submit(op, f);
            case null -> completions.finish(op, -AioErrno.EBADF);
            // What the kernel answers for a socket or eventfd descriptor.
            default -> completions.finish(op, switch (op.kind) {
                case Op.FALLOCATE -> -AioErrno.ENODEV;
                case Op.FSTAT -> -AioErrno.EBADF;
                default -> -AioErrno.EINVAL;
            });
        }
    }

    /** Starts a read or write of a file; one the file was not opened for fails as {@code read(2)} does. */
    void transfer(FileResource file, Op op) {
        if (op.kind == Op.READ ? file.readable : file.writable) {
            submit(op, file);
        } else {
            completions.finish(op, -AioErrno.EBADF);
        }
    }

    /**
     * Hands an operation to the pool.
     *
     * @param op   a file operation
     * @param file the file it works on or the directory its path is relative to; null for the working directory
     */
    private void submit(Op op, FileResource file) {
        op.resource = file;
        op.canceller = this;
        op.inPool = true;
        op.pooled = true;
        if (file != null) {
            file.inPool.add(op);
        }
        try {
            pool.execute(op);
        } catch (RejectedExecutionException e) {
            op.inPool = false;
            completions.finish(op, -AioErrno.ECANCELED);
            unpin(op);
        }
    }

    /**
     * An operation is back from its pool thread.
     *
     * @param op      the operation
     * @param closing whether the instance is closing: a file opened now is closed again and not handed out
     */
    void done(Op op, boolean closing) {
        op.inPool = false;
        if (op.stage != Op.PENDING) {
            if (op.opened >= 0) {
                FileCalls.close(op.opened); // the open was given up while it ran: nobody else will close it
            }
            unpin(op);
            return;
        }
        if (op.kind != Op.OPEN || op.result < 0) {
            completions.finish(op, op.result);
        } else if (closing) {
            FileCalls.close(op.opened);
            completions.finish(op, -AioErrno.ECANCELED);
        } else {
            int handle = handles.add(FileIo.opened(op));
            if (handle < 0) {
                FileCalls.close(op.opened);
            }
            completions.finish(op, HandleTable.resultOf(handle));
        }
        op.opened = -1;
        // After the completion is queued, so that a close waiting for this descriptor completes after it.
        unpin(op);
    }

    /** Loop: an operation no longer uses the descriptors it pinned; a file closed meanwhile is closed now. */
    private void unpin(Op op) {
        if (op.resource instanceof FileResource file) {
            file.inPool.remove(op);
            op.resource = null;
            closeIfIdle(file);
        }
        if (op.toDirectory != null) {
            FileResource second = op.toDirectory;
            op.toDirectory = null;
            second.secondUses--;
            closeIfIdle(second);
        }
    }

    /**
     * Hands a step of a zero-copy send to the pool ({@link SendFileDriver}); its file is pinned for the whole send.
     *
     * @param op the send
     * @return {@code false} if the pool no longer takes work (the instance is closing)
     */
    boolean poolStep(Op op) {
        op.inPool = true;
        op.pooled = true;
        op.requeue();
        try {
            pool.execute(op);
            return true;
        } catch (RejectedExecutionException e) {
            op.inPool = false;
            return false;
        }
    }

    /** A zero-copy send has completed: its file is no longer pinned, and a close waiting for it goes on. */
    void sendOver(Op op) {
        unpin(op);
    }

    /**
     * Withdraws an operation the pool has not started; one that is running keeps its real result.
     *
     * @param op a pending pool operation
     */
    @Override
    public void cancel(Op op) {
        if (!op.inPool || !op.cancelInPool()) {
            return;
        }
        op.inPool = false;
        completions.finish(op, -AioErrno.ECANCELED);
        unpin(op);
    }

    /**
     * Closes a file whose handle is gone: withdraws its queued operations, and closes the descriptor now or,
     * if a pool thread still uses it, when the last one is back.
     *
     * @param file    the file
     * @param closeOp the close operation, completed with 0 once the descriptor is closed
     */
    void close(FileResource file, Op closeOp) {
        for (Op queued = file.inPool.peek(); queued != null; ) {
            Op next = queued.next;
            if (queued.cancelInPool()) {
                queued.inPool = false;
                completions.finish(queued, -AioErrno.ECANCELED);
                unpin(queued);
            }
            queued = next;
        }
        file.closeOp = closeOp;
        closeOp.resource = file;
        closeIfIdle(file);
    }

    private void closeIfIdle(FileResource file) {
        if (file.closeOp != null && file.idle()) {
            FileCalls.close(file.fd);
            Op close = file.closeOp;
            file.closeOp = null;
            completions.finish(close, 0);
        }
    }

    /**
     * Stops the pool and waits for its threads, which may still use buffers.
     *
     * @param timeout how long to wait
     * @return {@code true} if every thread finished in time
     */
    boolean shutdown(Duration timeout) {
        pool.shutdown();
        try {
            return pool.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
