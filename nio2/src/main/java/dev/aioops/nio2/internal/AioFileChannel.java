package dev.aioops.nio2.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioStat;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileLock;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Future;

/**
 * An {@link AsynchronousFileChannel} on one aioops instance: positional reads and writes are
 * {@link AioOperations#read} and {@link AioOperations#write} at the position, and their handlers run on the
 * instance's loop (where the JDK runs them on the channel's thread pool). Any number of reads and writes may be in
 * flight at once, as with the JDK's.
 *
 * <p><b>Buffers.</b> A direct buffer is used in place; a heap buffer is copied through a native block (one of
 * {@link BlockPool} up to its block size, one of its own above), so its whole remaining length is transferred in one
 * operation, as by the JDK.
 *
 * <p><b>Synchronous methods.</b> {@link #size()}, {@link #truncate} and {@link #force} are aioops operations the
 * caller waits for ({@code statx}, {@code ftruncate}, {@code fsync}/{@code fdatasync}); on the channel's own loop,
 * where that wait could never end, they throw {@link IllegalStateException}. File locks have no aioops operation:
 * {@link #lock} and {@link #tryLock} throw {@link UnsupportedOperationException}.
 */
public final class AioFileChannel extends AsynchronousFileChannel implements PendingFuture.Owner {

    private final AioOperations ops;
    private final int handle;
    private final Path path;
    private final boolean readable;
    private final boolean writable;
    private volatile boolean closed;

    /**
     * A channel on an open file handle, which it owns and closes.
     *
     * @param ops           the instance the handle belongs to
     * @param handle        the file's handle
     * @param path          the file's path, for messages
     * @param readable      whether it was opened for reading
     * @param writable      whether it was opened for writing
     */
    public AioFileChannel(AioOperations ops, int handle, Path path, boolean readable, boolean writable) {
        this.ops = ops;
        this.handle = handle;
        this.path = path;
        this.readable = readable;
        this.writable = writable;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        try (Arena arena = Arena.ofShared()) {
            AioStat stat = AioStat.allocate(arena);
            check(Await.call(ops, "AsynchronousFileChannel.size", (a, c) -> ops.fstat(handle, stat, a, c)), "size");
            return stat.size();
        }
    }

    @Override
    public AsynchronousFileChannel truncate(long size) throws IOException {
        if (size < 0) {
            throw new IllegalArgumentException("Negative size");
        }
        if (!writable) {
            throw new NonWritableChannelException();
        }
        if (size < size()) {
            check(Await.call(ops, "AsynchronousFileChannel.truncate", (a, c) -> ops.ftruncate(handle, size, a, c)),
                    "truncate");
        }
        return this;
    }

    @Override
    public void force(boolean metaData) throws IOException {
        ensureOpen();
        check(Await.call(ops, "AsynchronousFileChannel.force",
                (a, c) -> metaData ? ops.fsync(handle, a, c) : ops.fdatasync(handle, a, c)), "force");
    }

    private void check(int result, String what) throws IOException {
        if (result < 0) {
            if (closed) {
                throw new java.nio.channels.AsynchronousCloseException();
            }
            throw new AioException(-result, what + " of " + path);
        }
    }

    /**
     * Not supported: aioops has no file-lock operation.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public <A> void lock(long position, long size, boolean shared, A attachment,
                         CompletionHandler<FileLock, ? super A> handler) {
        throw noLocks();
    }

    /**
     * Not supported: aioops has no file-lock operation.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public Future<FileLock> lock(long position, long size, boolean shared) {
        throw noLocks();
    }

    /**
     * Not supported: aioops has no file-lock operation.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public FileLock tryLock(long position, long size, boolean shared) {
        throw noLocks();
    }

    private static UnsupportedOperationException noLocks() {
        return new UnsupportedOperationException("file locks are not supported by aioops channels (the aioops SPI has "
                + "no lock operation): lock through a java.nio.channels.FileChannel opened on the same file");
    }

    @Override
    public <A> void read(ByteBuffer dst, long position, A attachment, CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        start(true, dst, position, attachment, handler);
    }

    @Override
    public Future<Integer> read(ByteBuffer dst, long position) {
        return start(true, dst, position, null, null);
    }

    @Override
    public <A> void write(ByteBuffer src, long position, A attachment,
                          CompletionHandler<Integer, ? super A> handler) {
        Objects.requireNonNull(handler, "'handler' is null");
        start(false, src, position, attachment, handler);
    }

    @Override
    public Future<Integer> write(ByteBuffer src, long position) {
        return start(false, src, position, null, null);
    }

    private <A> Future<Integer> start(boolean reads, ByteBuffer buffer, long position, A att,
                                      CompletionHandler<Integer, ? super A> h) {
        Objects.requireNonNull(buffer, "buffer");
        if (position < 0) {
            throw new IllegalArgumentException("Negative position");
        }
        if (reads && !readable) {
            throw new NonReadableChannelException();
        }
        if (!reads && !writable) {
            throw new NonWritableChannelException();
        }
        if (reads && buffer.isReadOnly()) {
            throw new IllegalArgumentException("Read-only buffer");
        }
        if (closed || !buffer.hasRemaining()) {
            return Deliver.soon(ops, h, att, 0, closed ? new ClosedChannelException() : null);
        }
        PendingFuture<Integer> f = h == null ? new PendingFuture<>(this, 0) : null;
        Transfer<A> t = new Transfer<>(reads, buffer, h, att, f);
        long token;
        try {
            token = t.submit(position);
        } catch (IllegalStateException instanceClosed) {
            t.release();
            return Deliver.soon(ops, h, att, null, new ClosedChannelException());
        }
        if (f != null) {
            f.submitted(token);
        }
        return f;
    }

    /** One read or write in flight. */
    private final class Transfer<A> implements AioCompletion<Transfer<A>> {
        private final boolean reads;
        private final ByteBuffer buffer;
        private final CompletionHandler<Integer, ? super A> handler;
        private final A att;
        private final PendingFuture<Integer> future;
        private BlockPool.Block block;

        Transfer(boolean reads, ByteBuffer buffer, CompletionHandler<Integer, ? super A> handler, A att,
                 PendingFuture<Integer> future) {
            this.reads = reads;
            this.buffer = buffer;
            this.handler = handler;
            this.att = att;
            this.future = future;
        }

        long submit(long position) {
            MemorySegment segment;
            if (buffer.isDirect()) {
                segment = MemorySegment.ofBuffer(buffer);
            } else {
                int n = Math.min(buffer.remaining(), 0x7ffff000);
                block = BlockPool.SHARED.acquire(n);
                segment = block.memory().asSlice(0, n);
                if (!reads) {
                    Copies.gather(buffer, null, segment);
                }
            }
            return reads ? ops.read(handle, segment, position, this, this)
                    : ops.write(handle, segment, position, this, this);
        }

        void release() {
            if (block != null) {
                block.release();
                block = null;
            }
        }

        @Override
        public void completed(int result, Transfer<A> self) {
            Integer value = null;
            Throwable error = null;
            if (result > 0) {
                Copies.advance(buffer, null, result, reads && block != null ? block.memory() : null);
                value = result;
            } else if (result == 0) {
                value = reads ? -1 : 0;
            } else {
                error = Failures.io(result, closed, false, (reads ? "read from " : "write to ") + path);
            }
            release();
            Deliver.fromCompletion(ops, handler, att, future, value, error);
        }
    }

    @Override
    public void cancelled(int kind, long token, boolean interrupt) {
        if (token != 0) {
            ops.cancel(token);
        }
        if (interrupt) {
            close();
        }
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    /**
     * Closes the file: reads and writes in flight fail with {@link java.nio.channels.AsynchronousCloseException}.
     * Does not wait for them; the descriptor is released once they have completed.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            ops.close(handle, null, (r, a) -> { });
        } catch (IllegalStateException instanceClosed) {
            // every operation of a closed instance has completed
        }
    }

    private void ensureOpen() throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
    }

    @Override
    public String toString() {
        return "AioFileChannel[" + path + (closed ? ", closed" : "") + ", " + ops.adapterName() + "]";
    }
}
