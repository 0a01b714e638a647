package dev.aioops.vertx.internal;

import dev.aioops.linux.internal.FileCalls;
import dev.aioops.spi.AioErrno;

import java.util.HashSet;
import java.util.Set;

/**
 * An open file or directory: a raw descriptor whose system calls run on the instance's worker executor
 * ({@link VertxFiles}). Every operation that uses the descriptor pins it; it is closed only when none does, so it
 * is never released under a running system call. Loop thread only, except {@link #fd}, which workers read.
 */
final class FileHandle extends AioHandle {

    private final VertxEngine engine;
    private final VertxFiles files;
    final int fd;
    final boolean writable;
    final boolean directory;
    /** Operations that use the descriptor and have not come back to the loop. */
    private final Set<Op> pinned = new HashSet<>();
    private Runnable released;

    FileHandle(VertxEngine engine, VertxFiles files, int fd, boolean writable, boolean directory) {
        this.engine = engine;
        this.files = files;
        this.fd = fd;
        this.writable = writable;
        this.directory = directory;
    }

    /** Loop: an operation on this file, or on a path relative to this directory. */
    void submit(Op op) {
        files.fileOperation(op, this);
    }

    /** Loop: an operation will use the descriptor. */
    void pin(Op op) {
        pinned.add(op);
    }

    /** Loop: an operation is done with the descriptor (came back, or was withdrawn before a worker took it). */
    void unpinned(Op op) {
        if (pinned.remove(op)) {
            releaseIfIdle();
        }
    }

    @Override
    void close(Runnable whenReleased) {
        markClosed();
        this.released = whenReleased;
        for (Op op : pinned.toArray(Op[]::new)) {
            if (op.casWorkerState(Op.PENDING, Op.CANCELLED)) {
                pinned.remove(op);
                engine.complete(op, -AioErrno.ECANCELED);
            }
        }
        releaseIfIdle();
    }

    /** Loop, at instance close after every worker returned: closes the descriptor whatever is left. */
    void forceRelease() {
        pinned.clear();
        releaseIfIdle();
    }

    private void releaseIfIdle() {
        if (released != null && pinned.isEmpty()) {
            Runnable r = released;
            released = null;
            // Closing a descriptor that was only read or written cannot lose data we promised; its errors are not
            // the library's to handle (as with FileChannel.close).
            FileCalls.close(fd);
            r.run();
        }
    }
}
