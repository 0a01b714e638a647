package dev.aioops.epoll.internal;

import dev.aioops.linux.internal.FileCalls;
import dev.aioops.spi.AioErrno;

import java.util.function.Consumer;
import java.util.function.IntSupplier;

/**
 * File operations whose pool thread was still inside its system call when {@code close()} stopped waiting (a
 * {@code pread} on a hung network file system, a read of a FIFO nobody writes): the <em>stragglers</em>.
 *
 * <p>Until the instance closes, a pool thread hands a finished operation to the loop's inbox. {@link #seal()}
 * turns that off under a lock the closing thread holds until it has completed everything else; from then on a
 * returning pool thread completes its own operation, on that pool thread, with its real result (an open with
 * {@code -ECANCELED}, its file closed again), closes its file once no other straggler uses it, completes a
 * {@code close} of that file waiting for it, and the last one to return runs the release action (which frees the
 * instance's buffer pool). The lock makes late completions run one at a time and after every completion of the
 * close itself, as the contract wants completions of one instance never to run at once.
 */
final class FileStragglers {

    private final Object lock = new Object();
    private final Consumer<Throwable> errors;
    /** Guarded by {@link #lock}: whether pool threads complete their own operations now. */
    private boolean sealed;
    /** Guarded by {@link #lock}: stragglers not back yet. */
    private int remaining;
    /** Guarded by {@link #lock}: what to free once the last is back. */
    private Runnable release;

    /**
     * @param errors receives what a late completion throws
     */
    FileStragglers(Consumer<Throwable> errors) {
        this.errors = errors;
    }

    /**
     * Pool thread: hands a finished operation to the loop, or, once sealed, completes it here.
     *
     * @param op    the operation, its result set
     * @param inbox the loop's inbox
     * @return {@code true} if it went to the inbox (the loop must be woken)
     */
    boolean handOver(Op op, Inbox inbox) {
        synchronized (lock) {
            if (!sealed) {
                inbox.offer(op);
                return true;
            }
            completeLate(op);
            return false;
        }
    }

    /**
     * Closing thread: from now on pool threads complete their own operations, once the closing thread has left
     * {@link #closing}. Called inside it.
     */
    void seal() {
        sealed = true;
    }

    /**
     * Closing thread: runs the end of a close holding the lock, so that no straggler completes before it is over.
     *
     * @param end the end of the close; it calls {@link #seal()} first and returns how many stragglers stay
     *            pending
     * @param release frees the memory the stragglers may still use, run by the last one back (or at once if none)
     */
    void closing(IntSupplier end, Runnable release) {
        synchronized (lock) {
            remaining = end.getAsInt();
            if (remaining == 0) {
                release.run();
            } else {
                this.release = release;
            }
        }
    }

    /**
     * Whether an operation pending at close waits for a straggler: one running on a pool thread, or the close of
     * a file one of those still uses. Closing thread, after the last drain of the inbox.
     *
     * @param op a pending operation
     * @return {@code true} if it must stay pending
     */
    static boolean waitsForPool(Op op) {
        return op.inPool || (op.kind == Op.CLOSE && op.resource instanceof FileResource f && !f.idle());
    }

    /** Pool thread, holding the lock. */
    private void completeLate(Op op) {
        op.inPool = false;
        if (op.kind == Op.OPEN) {
            if (op.opened >= 0) {
                FileCalls.close(op.opened);
            }
            deliver(op, -AioErrno.ECANCELED);
        } else {
            deliver(op, op.result);
        }
        if (op.resource instanceof FileResource file) {
            file.inPool.remove(op);
            releaseIfIdle(file);
        }
        if (op.toDirectory != null) {
            op.toDirectory.secondUses--;
            releaseIfIdle(op.toDirectory);
        }
        if (--remaining == 0 && release != null) {
            Runnable r = release;
            release = null;
            r.run();
        }
    }

    /** Pool thread, holding the lock: closes a file no straggler uses any more, and completes its close. */
    private void releaseIfIdle(FileResource file) {
        if (!file.idle()) {
            return;
        }
        FileCalls.close(file.fd);
        Op close = file.closeOp;
        file.closeOp = null;
        if (close != null) {
            deliver(close, 0);
        }
    }

    private void deliver(Op op, int result) {
        if (op.stage != Op.PENDING) {
            return;
        }
        op.stage = Op.DONE;
        try {
            op.completion.completed(result, op.attachment);
        } catch (Throwable e) {
            errors.accept(e);
        }
    }
}
