package dev.aioops.examples.resp;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioTransfers;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;

/**
 * The write side of a {@link RedisClient}'s connection: commands are appended to an outbox, and the outbox is written
 * once per loop turn (a flush scheduled behind the turn's other tasks), so that every command issued in a turn goes
 * out in one {@code writeFully}; commands appended while a write is in flight go out with the next. The native write
 * buffer comes from the client's arena and grows to the largest batch up to {@link #LARGE_BATCH}; a larger batch (a
 * big {@code SET}) gets a buffer of its own, freed when its write completes, and a large outbox is dropped once
 * written, so that one big value does not pin its size in memory for the life of the connection. Loop thread only.
 */
final class CommandWriter {

    /** The largest batch written from the shared buffer; above it, a batch's buffer is its own. */
    static final int LARGE_BATCH = 1 << 20;

    private final AioOperations ops;
    private final int handle;
    private final Arena arena;
    private final BooleanSupplier stopped;
    private final IntConsumer written;
    private MemorySegment writeBuffer;
    /** The arena of the large batch being written, or null. */
    private Arena largeBatch;
    private byte[] outbox = new byte[4096];
    private int outboxLength;
    private boolean writing;
    private boolean flushScheduled;

    /**
     * @param stopped whether the connection has failed (nothing more is written)
     * @param written told each write's result, after the next write (if any) has started
     */
    CommandWriter(AioOperations ops, int handle, Arena arena, BooleanSupplier stopped, IntConsumer written) {
        this.ops = ops;
        this.handle = handle;
        this.arena = arena;
        this.stopped = stopped;
        this.written = written;
        this.writeBuffer = arena.allocate(16 * 1024);
    }

    /**
     * Appends an encoded command to the outbox and makes sure a flush is coming.
     *
     * @param encoded the command; the writer's from now on (it may become the outbox itself: it is never written
     *                into, since a full outbox is copied before it grows)
     * @return false if the flush could not be scheduled (the operations are closed)
     */
    boolean append(byte[] encoded) {
        if (outboxLength == 0 && encoded.length > outbox.length) {
            outbox = encoded; // a big command is not copied once more
        } else {
            if (outboxLength + encoded.length > outbox.length) {
                outbox = Arrays.copyOf(outbox, Math.max(outbox.length * 2, outboxLength + encoded.length));
            }
            System.arraycopy(encoded, 0, outbox, outboxLength, encoded.length);
        }
        outboxLength += encoded.length;
        if (writing || flushScheduled) {
            return true;
        }
        flushScheduled = true;
        try {
            ops.execute(this::flush);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    /** The outbox's capacity, for tests. */
    int outboxCapacity() {
        return outbox.length;
    }

    /** Whether a write is in flight (its buffer then belongs to the adapter). */
    boolean writing() {
        return writing;
    }

    private void flush() {
        flushScheduled = false;
        if (stopped.getAsBoolean() || writing || outboxLength == 0) {
            return;
        }
        MemorySegment batch;
        if (outboxLength > LARGE_BATCH) {
            largeBatch = Arena.ofShared();
            batch = largeBatch.allocate(outboxLength);
        } else {
            if (writeBuffer.byteSize() < outboxLength) {
                // The old buffer is idle (no write in flight); it stays in the arena until the client is freed.
                writeBuffer = arena.allocate(Math.max(writeBuffer.byteSize() * 2, outboxLength));
            }
            batch = writeBuffer.asSlice(0, outboxLength);
        }
        MemorySegment.copy(outbox, 0, batch, ValueLayout.JAVA_BYTE, 0, outboxLength);
        outboxLength = 0;
        if (outbox.length > LARGE_BATCH) {
            outbox = new byte[4096];
        }
        writing = true;
        try {
            AioTransfers.writeFully(ops, handle, batch, AioOperations.STREAM, null, this::done);
        } catch (IllegalStateException closed) {
            done(-AioErrno.ECANCELED, null);
        }
    }

    private void done(int result, Object ignored) {
        writing = false;
        if (largeBatch != null) {
            largeBatch.close(); // the write has completed: the adapter has given its buffer back
            largeBatch = null;
        }
        if (result >= 0 && !stopped.getAsBoolean() && outboxLength > 0) {
            flush();
        }
        written.accept(result);
    }
}
