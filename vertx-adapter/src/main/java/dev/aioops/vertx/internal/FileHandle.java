package dev.aioops.vertx.internal;

import dev.aioops.spi.AioErrno;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.HashSet;
import java.util.Set;

/**
 * An open file: a {@link FileChannel} whose reads, writes and syncs run on the instance's Vert.x worker
 * executor and complete on the loop. The channel is closed only when no worker thread uses it any more, so the
 * descriptor is never released under a running system call.
 */
final class FileHandle extends AioHandle implements Canceller {

    private final VertxEngine engine;
    private final FileChannel channel;
    private final boolean writable;
    /** Operations handed to the worker pool and not yet back on the loop. Loop thread only. */
    private final Set<Op> inFlight = new HashSet<>();
    private Runnable released;

    FileHandle(VertxEngine engine, FileChannel channel, boolean writable) {
        this.engine = engine;
        this.channel = channel;
        this.writable = writable;
    }

    /** Loop: hands a read, write or fsync to a worker thread. */
    void submit(Op op) {
        if (op.kind == Op.Kind.WRITE && !writable) {
            engine.complete(op, -AioErrno.EBADF);
            return;
        }
        op.argument = this;
        op.canceller = this;
        inFlight.add(op);
        engine.submitToWorker(op, this);
    }

    /** Worker thread: performs the system call. */
    int perform(Op op) throws IOException {
        switch (op.kind) {
            case READ -> {
                ByteBuffer target = op.view.asByteBuffer();
                int n = op.offset < 0 ? channel.read(target) : channel.read(target, op.offset);
                return Math.max(n, 0);
            }
            case WRITE -> {
                ByteBuffer source = op.view.asByteBuffer();
                return op.offset < 0 ? channel.write(source) : channel.write(source, op.offset);
            }
            case FSYNC -> {
                channel.force(true);
                return 0;
            }
            default -> throw new IllegalStateException("not a file operation: " + op);
        }
    }

    /** Loop: an operation came back from the worker pool (finished, cancelled, or refused by the pool). */
    void returned(Op op) {
        inFlight.remove(op);
        releaseIfIdle();
    }

    @Override
    public boolean cancel(Op op) {
        if (op.casWorkerState(Op.PENDING, Op.CANCELLED)) {
            inFlight.remove(op);
            releaseIfIdle();
            return true;
        }
        return false;
    }

    @Override
    void close(Runnable whenReleased) {
        markClosed();
        this.released = whenReleased;
        for (Op op : inFlight.toArray(Op[]::new)) {
            if (op.casWorkerState(Op.PENDING, Op.CANCELLED)) {
                inFlight.remove(op);
                engine.complete(op, -AioErrno.ECANCELED);
            }
        }
        releaseIfIdle();
    }

    /** Loop, at instance close after every worker returned: closes the channel whatever is left. */
    void forceRelease() {
        inFlight.clear();
        releaseIfIdle();
    }

    private void releaseIfIdle() {
        if (released != null && inFlight.isEmpty()) {
            Runnable r = released;
            released = null;
            try {
                channel.close();
            } catch (IOException ignored) {
                // Closing a file descriptor that was only read or written cannot lose data we promised.
            }
            r.run();
        }
    }
}
