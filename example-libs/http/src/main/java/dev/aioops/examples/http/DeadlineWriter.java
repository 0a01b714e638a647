package dev.aioops.examples.http;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;

import java.lang.foreign.MemorySegment;

/**
 * Writes whole segments to one socket, each write carrying a deadline: a write that makes no progress for the
 * stall timeout completes with {@code -ETIMEDOUT}, so a client that stops reading cannot hold the connection. One
 * instance per connection, reused for every write (no allocation per write); one write at a time; loop thread only.
 */
final class DeadlineWriter {

    private final AioOperations ops;
    private final int socket;
    private final long stallNanos;
    private final AioCompletion<Object> step = this::written;
    private MemorySegment data;
    private long done;
    private AioCompletion<Object> whenDone;

    DeadlineWriter(AioOperations ops, int socket, long stallNanos) {
        this.ops = ops;
        this.socket = socket;
        this.stallNanos = stallNanos;
    }

    /**
     * Writes all of {@code data}; {@code whenDone} gets its size, or the first write's {@code -errno}
     * ({@code -ETIMEDOUT} for a stall, {@code -ECANCELED} if the operations are closed).
     */
    void writeAll(MemorySegment data, AioCompletion<Object> whenDone) {
        this.data = data;
        this.done = 0;
        this.whenDone = whenDone;
        next();
    }

    private void next() {
        try {
            ops.write(socket, data.asSlice(done), AioOperations.STREAM, stallNanos, null, step);
        } catch (IllegalStateException opsClosed) {
            finish(-AioErrno.ECANCELED);
        }
    }

    private void written(int result, Object ignored) {
        if (result <= 0) {
            finish(result == 0 ? -AioErrno.EIO : result);
            return;
        }
        done += result;
        if (done < data.byteSize()) {
            next();
        } else {
            finish((int) done);
        }
    }

    private void finish(int result) {
        AioCompletion<Object> callback = whenDone;
        data = null;
        whenDone = null;
        callback.completed(result, null);
    }
}
