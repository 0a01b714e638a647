package dev.aioops.vertx.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioVector;
import io.netty.buffer.ByteBuf;

import java.lang.foreign.MemorySegment;

/**
 * Vectored reads and writes in the Vert.x-native mode: files on the worker executor with {@code preadv}/{@code
 * pwritev} on the vector's {@code iovec} array ({@link VertxFiles}), sockets from and to the {@link SocketHandle}'s
 * queues, segment after segment. An eventfd takes no vector ({@code -EINVAL}); a listener answers as
 * {@code read}/{@code write} on a listening socket do ({@code -ENOTCONN}, {@code -EPIPE}).
 */
final class VertxVectors {

    private VertxVectors() {
    }

    /** Loop: starts a {@code READV} or {@code WRITEV} on the handle it names. */
    static void start(VertxEngine engine, AioHandle handle, Op op) {
        boolean read = op.kind == Op.Kind.READV;
        switch (handle) {
            case FileHandle f -> f.submit(op);
            case SocketHandle s -> {
                if (read) {
                    s.read(op);
                } else {
                    s.write(op);
                }
            }
            case EventfdHandle e -> engine.complete(op, -AioErrno.EINVAL);
            case DatagramHandle d -> engine.complete(op, -AioErrno.EINVAL);
            case ListenerHandle l -> engine.complete(op, read ? -AioErrno.ENOTCONN : -AioErrno.EPIPE);
            case null, default -> engine.complete(op, -AioErrno.EBADF);
        }
    }

    /** Worker: the vector's {@code iovec} array, usable on this thread. */
    static MemorySegment iovecs(Op op) {
        return Segments.view(((AioVector) op.argument).iovecs());
    }

    /** The number of segments of a vectored operation. */
    static int count(Op op) {
        return ((AioVector) op.argument).count();
    }

    /**
     * Loop: fills the segments in order, as one {@code readv} would, each with {@code copy} (which takes what a
     * socket's queue holds, up to the segment's size), stopping at the first segment left short.
     *
     * @return the bytes copied, at most {@link Segments#MAX_TRANSFER}
     */
    static int copyInto(AioVector vector, java.util.function.ToIntFunction<MemorySegment> copy) {
        long room = Segments.MAX_TRANSFER;
        int copied = 0;
        for (int i = 0; i < vector.count() && room > 0; i++) {
            MemorySegment target = Segments.view(vector.segment(i));
            if (target.byteSize() > room) {
                target = target.asSlice(0, room);
            }
            int n = copy.applyAsInt(target);
            copied += n;
            room -= n;
            if (n < target.byteSize()) {
                break;
            }
        }
        return copied;
    }

    /**
     * Loop: the segments' first {@code n} bytes gathered into one buffer.
     *
     * @param vector the vector
     * @param into   a buffer with room for {@code n} bytes
     * @param n      how many bytes
     */
    static void gather(AioVector vector, ByteBuf into, int n) {
        int left = n;
        for (int i = 0; i < vector.count() && left > 0; i++) {
            MemorySegment s = Segments.view(vector.segment(i));
            int take = (int) Math.min(s.byteSize(), left);
            into.writeBytes(s.asSlice(0, take).asByteBuffer());
            left -= take;
        }
    }
}
