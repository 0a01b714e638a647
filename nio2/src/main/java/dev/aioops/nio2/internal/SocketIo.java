package dev.aioops.nio2.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioVector;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.CompletionHandler;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.NotYetConnectedException;
import java.nio.channels.ReadPendingException;
import java.nio.channels.WritePendingException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One direction (reading or writing) of an {@link AioSocketChannel}: the JDK's rules for starting an operation
 * (one at a time, refused after a timeout or a cancel, end of stream after {@code shutdownInput}), the buffers'
 * way to native memory, and the completion, which runs on the channel's loop and calls the handler there.
 *
 * <p><b>Buffers.</b> A direct buffer is read into or written from in place ({@link MemorySegment#ofBuffer}, which
 * keeps it reachable while the adapter holds the segment). A heap buffer goes through a native block of
 * {@link BlockPool}, at most {@link BlockPool#BLOCK_SIZE} bytes per operation (a short transfer, as sockets allow).
 * Scattering reads and gathering writes of direct buffers are one vectored operation.
 *
 * <p>The fields of the operation in flight are written before its submission, which publishes them to the loop, and
 * cleared by its completion before the handler runs, so that the handler may start the next operation.
 */
final class SocketIo implements AioCompletion<SocketIo> {

    private final AioSocketChannel channel;
    private final boolean reads;

    // Guarded by this: the JDK's reading/writing, readKilled/writeKilled and readShutdown/writeShutdown.
    private boolean pending;
    private boolean killed;
    private boolean shut;

    private CompletionHandler<Object, Object> handler;
    private Object attachment;
    private PendingFuture<Object> future;
    private ByteBuffer one;
    private ByteBuffer[] many;
    private BlockPool.Block block;
    private boolean timed;
    private Arena vectorArena;
    private AioVector vector;

    SocketIo(AioSocketChannel channel, boolean reads) {
        this.channel = channel;
        this.reads = reads;
    }

    /**
     * Starts a read or write of {@code buffer} or, when it is null, of {@code buffers} (already a subsequence).
     *
     * @return the future in the future form ({@code handler} null), else null
     */
    @SuppressWarnings("unchecked")
    <V, A> Future<V> start(ByteBuffer buffer, ByteBuffer[] buffers, long timeout, TimeUnit unit, A att,
                           CompletionHandler<V, ? super A> h) {
        boolean vectored = buffer == null;
        AioOperations ops = channel.ops;
        long wanted = vectored ? remaining(buffers) : buffer.remaining();
        boolean closed = channel.isClosed();
        if (reads && closed) {
            return Deliver.soon(ops, h, att, null, new ClosedChannelException());
        }
        boolean isShut = false;
        if (!closed) {
            if (!channel.isConnected()) {
                throw new NotYetConnectedException();
            }
            synchronized (this) {
                if (killed) {
                    throw new IllegalStateException((reads ? "Reading" : "Writing")
                            + " not allowed due to timeout or cancellation");
                }
                if (pending) {
                    throw reads ? new ReadPendingException() : new WritePendingException();
                }
                isShut = shut;
                if (!shut && wanted > 0) {
                    pending = true;
                }
            }
        }
        if (!reads && (closed || isShut)) {
            return Deliver.soon(ops, h, att, null, new ClosedChannelException());
        }
        if (isShut || wanted == 0) {
            Object value = vectored ? (Object) (isShut ? -1L : 0L) : (Object) (isShut ? -1 : 0);
            return Deliver.soon(ops, h, att, (V) value, null);
        }
        PendingFuture<Object> f = h == null ? new PendingFuture<>(channel, reads ? AioSocketChannel.READ
                : AioSocketChannel.WRITE) : null;
        handler = (CompletionHandler<Object, Object>) h;
        attachment = att;
        future = f;
        one = buffer;
        many = buffers;
        long nanos = timeout > 0 ? unit.toNanos(timeout) : 0;
        timed = nanos > 0;
        long token;
        try {
            token = submit(ops, channel.handle(), buffer, buffers, wanted, nanos);
        } catch (RuntimeException refused) {
            clear();
            synchronized (this) {
                pending = false;
            }
            if (!(refused instanceof IllegalStateException)) {
                throw refused;
            }
            // The aioops instance is closed under the channel.
            return Deliver.soon(ops, h, att, null, new ClosedChannelException());
        }
        if (f != null) {
            f.submitted(token);
        }
        return (Future<V>) f;
    }

    private long submit(AioOperations ops, int handle, ByteBuffer buffer, ByteBuffer[] buffers, long wanted,
                        long nanos) {
        if (buffer != null && buffer.isDirect()) {
            return transfer(ops, handle, MemorySegment.ofBuffer(buffer), nanos);
        }
        if (buffer == null && allDirect(buffers)) {
            AioVector v = vector(buffers);
            for (ByteBuffer b : buffers) {
                if (b.hasRemaining() && v.count() < v.capacity()) {
                    v.add(MemorySegment.ofBuffer(b));
                }
            }
            if (reads) {
                return nanos > 0 ? ops.readv(handle, v, AioOperations.STREAM, nanos, this, this)
                        : ops.readv(handle, v, AioOperations.STREAM, this, this);
            }
            return nanos > 0 ? ops.writev(handle, v, AioOperations.STREAM, nanos, this, this)
                    : ops.writev(handle, v, AioOperations.STREAM, this, this);
        }
        int n = (int) Math.min(wanted, BlockPool.BLOCK_SIZE);
        BlockPool.Block b = BlockPool.SHARED.acquire(n);
        block = b;
        MemorySegment scratch = b.memory().asSlice(0, n);
        if (!reads) {
            Copies.gather(buffer, buffers, scratch);
        }
        return transfer(ops, handle, scratch, nanos);
    }

    private long transfer(AioOperations ops, int handle, MemorySegment segment, long nanos) {
        if (reads) {
            return nanos > 0 ? ops.read(handle, segment, AioOperations.STREAM, nanos, this, this)
                    : ops.read(handle, segment, AioOperations.STREAM, this, this);
        }
        return nanos > 0 ? ops.write(handle, segment, AioOperations.STREAM, nanos, this, this)
                : ops.write(handle, segment, AioOperations.STREAM, this, this);
    }

    @Override
    public void completed(int result, SocketIo self) {
        CompletionHandler<Object, Object> h = handler;
        Object att = attachment;
        PendingFuture<Object> f = future;
        ByteBuffer b = one;
        ByteBuffer[] bs = many;
        BlockPool.Block blk = block;
        boolean t = timed;
        clear();
        boolean vectored = b == null;
        Object value = null;
        Throwable error = null;
        if (result > 0) {
            Copies.advance(b, bs, result, reads && blk != null ? blk.memory() : null);
            value = vectored ? (Object) (long) result : (Object) result;
        } else if (result == 0) {
            int v = reads ? -1 : 0;
            value = vectored ? (Object) (long) v : (Object) v;
        } else {
            error = Failures.io(result, channel.isClosed(), t, reads ? "read" : "write");
        }
        if (blk != null) {
            blk.release();
        }
        synchronized (this) {
            pending = false;
            if (error instanceof InterruptedByTimeoutException) {
                killed = true; // as the JDK: the bytes of a timed-out transfer are in an unknown state
            }
        }
        Deliver.fromCompletion(channel.ops, h, att, f, value, error);
    }

    private void clear() {
        handler = null;
        attachment = null;
        future = null;
        one = null;
        many = null;
        block = null;
    }

    /** Refuses further operations, after a cancel; the JDK's {@code killReading} / {@code killWriting}. */
    synchronized void kill() {
        killed = true;
    }

    /**
     * Marks the direction shut down.
     *
     * @return {@code true} the first time
     */
    synchronized boolean shut() {
        boolean first = !shut;
        shut = true;
        return first;
    }

    synchronized boolean isShut() {
        return shut;
    }

    /** Frees the vector's memory; called once the channel's handle is closed and no operation is in flight. */
    void free() {
        Arena a;
        synchronized (this) {
            a = vectorArena;
            vectorArena = null;
            vector = null;
        }
        if (a != null) {
            a.close();
        }
    }

    private AioVector vector(ByteBuffer[] buffers) {
        int needed = Math.min(AioVector.MAX_SEGMENTS, Math.max(1, buffers.length));
        synchronized (this) {
            if (vector == null || vector.capacity() < needed) {
                if (vectorArena != null) {
                    vectorArena.close(); // no operation is in flight in this direction: the old vector is idle
                }
                vectorArena = Arena.ofShared();
                vector = AioVector.allocate(vectorArena, Math.max(needed, 16));
            }
            return vector.clear();
        }
    }

    private static boolean allDirect(ByteBuffer[] buffers) {
        for (ByteBuffer b : buffers) {
            if (!b.isDirect()) {
                return false;
            }
        }
        return true;
    }

    private static long remaining(ByteBuffer[] buffers) {
        long n = 0;
        for (ByteBuffer b : buffers) {
            n += b.remaining();
        }
        return n;
    }
}
