package dev.aioops.epoll.internal;

import dev.aioops.spi.AioErrno;

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

    /** Starts an open; it completes with the new handle. */
    void open(Op op) {
        submit(op, null);
    }

    /** Starts an fsync of the file {@link Op#handle} names. */
    void fsync(Op op) {
        switch (handles.get(op.handle)) {
            case FileResource f -> submit(op, f);
            case null -> completions.finish(op, -AioErrno.EBADF);
            default -> completions.finish(op, -AioErrno.EINVAL);
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
     * @param op   a READ, WRITE, FSYNC (with {@code file}) or OPEN (without)
     * @param file the file it works on, or null for an open
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
            if (file != null) {
                file.inPool.remove(op);
            }
            op.inPool = false;
            completions.finish(op, -AioErrno.ECANCELED);
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
            return;
        }
        if (op.kind == Op.OPEN) {
            if (op.result < 0) {
                completions.finish(op, op.result);
            } else if (closing) {
                Quietly.close(op.opened);
                completions.finish(op, -AioErrno.ECANCELED);
            } else {
                int handle = handles.add(op.resource);
                if (handle < 0) {
                    Quietly.close(op.opened);
                }
                completions.finish(op, HandleTable.resultOf(handle));
            }
            op.opened = null;
            op.resource = null;
            return;
        }
        FileResource file = (FileResource) op.resource;
        file.inPool.remove(op);
        completions.finish(op, op.result);
        closeIfIdle(file);
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
        if (op.resource instanceof FileResource file && op.kind != Op.OPEN) {
            file.inPool.remove(op);
            completions.finish(op, -AioErrno.ECANCELED);
            closeIfIdle(file);
        } else {
            completions.finish(op, -AioErrno.ECANCELED);
        }
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
                file.inPool.remove(queued);
                queued.inPool = false;
                completions.finish(queued, -AioErrno.ECANCELED);
            }
            queued = next;
        }
        file.closeOp = closeOp;
        closeOp.resource = file;
        closeIfIdle(file);
    }

    private void closeIfIdle(FileResource file) {
        if (file.closeOp != null && file.inPool.isEmpty()) {
            Quietly.close(file.channel);
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
