package dev.aioops.uring.internal;

import dev.aioops.spi.AioChunkHandler;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Receive streams served by the kernel: one multishot {@code IORING_OP_RECV} per stream with
 * {@code IOSQE_BUFFER_SELECT} from the instance's {@link ProvidedBufferRing}, so that a connection waiting for data
 * holds no buffer. A stream has one op slot ({@link OpSlots#RECV_STREAM}) for its whole life: its token, its
 * user_data, the handle's in-flight count, and the exactly-once end through {@link RingOperations#complete}.
 *
 * <p><b>Re-arming.</b> The kernel ends a multishot receive with a CQE without {@code IORING_CQE_F_MORE}: at end of
 * stream (0) and on errors, which end the stream; and also when it chooses to (a full CQ ring) or when the buffer
 * ring is empty ({@code -ENOBUFS}, the data stays in the socket), which do not: then the same slot submits the
 * receive again, or, when no buffer is free, parks on a {@code TIMEOUT} of {@link #PARK_NANOS} under the same
 * user_data until a release puts a buffer back (which cancels the park at once). A park is what a cancel, the
 * instance's close (cancel-all) or, after at most {@link #PARK_NANOS}, the handle's close ends.
 *
 * <p>Loop only, but {@link #release} (any thread).
 */
final class RingChunkStreams {

    /** What {@link #cqe} returns while the stream goes on. */
    static final int GOES_ON = Integer.MIN_VALUE + 1;
    private static final long PARK_NANOS = 50_000_000L;

    private final UringLoop loop;
    private final RingOperations ops;
    private final OpSlots slots;
    private final FdTable fds;
    private final RingDriver driver;
    private final MemorySegment sqes;
    private final Arena memory;
    private final ArrayDeque<Stream> parked = new ArrayDeque<>();
    private volatile ProvidedBufferRing buffers;
    /** For tests: receives submitted again after the kernel ended one, and parks for want of a buffer. */
    volatile int rearms;
    volatile int parks;

    RingChunkStreams(UringLoop loop, RingOperations ops, OpSlots slots, FdTable fds, Arena memory) {
        this.loop = loop;
        this.ops = ops;
        this.slots = slots;
        this.fds = fds;
        this.driver = loop.driver();
        this.sqes = driver.sqes();
        this.memory = memory;
    }

    /** A stream: its handler, and the end as the slot's completion. */
    static final class Stream implements AioCompletion<Object> {
        final AioChunkHandler<Object> handler;
        int fd;
        int slot;
        boolean parkedNow;

        Stream(AioChunkHandler<Object> handler) {
            this.handler = handler;
        }

        @Override
        public void completed(int result, Object attachment) {
            handler.end(result, attachment);
        }
    }

    /** The buffer ring, registered at the first stream; null before. */
    ProvidedBufferRing buffers() {
        return buffers;
    }

    long start(int handle, Object attachment, Stream stream, long remote) {
        FdTable.Entry e = fds.get(handle);
        if (e == null || e.closing) {
            return ops.completeNow(-AioErrno.EBADF, attachment, stream, remote);
        }
        if (e.kind != FdTable.SOCKET) {
            return ops.completeNow(e.kind == FdTable.LISTENER || e.kind == FdTable.DATAGRAM ? -AioErrno.EINVAL
                    : -AioErrno.ENOTSOCK, attachment, stream, remote);
        }
        if (buffers == null) {
            int[] result = new int[1];
            boolean incremental = !"false".equals(System.getProperty(UringReceives.INCREMENTAL_PROPERTY));
            buffers = ProvidedBufferRing.register(loop.resources().ring(), memory, loop.config().receiveBufferCount(),
                    loop.config().receiveBufferSize(), incremental, result);
            if (buffers == null) {
                return ops.completeNow(result[0], attachment, stream, remote);
            }
        }
        int s = slots.alloc(OpSlots.RECV_STREAM, handle, attachment, stream, stream);
        e.inflight++;
        stream.fd = e.fd;
        stream.slot = s;
        arm(s, stream);
        return ops.track(s, remote);
    }

    private void arm(int s, Stream stream) {
        stream.parkedNow = false;
        SqeEncoder.recvMultishot(sqes, driver.sqe(), stream.fd, ProvidedBufferRing.GROUP, slots.token(s));
    }

    private void park(int s, Stream stream) {
        stream.parkedNow = true;
        parked.add(stream);
        MemorySegment scratch = slots.scratchChunk(s);
        long at = slots.scratchOffset(s);
        scratch.set(JAVA_LONG, at + UringLayout.TIMESPEC_TV_SEC, 0L);
        scratch.set(JAVA_LONG, at + UringLayout.TIMESPEC_TV_NSEC, PARK_NANOS);
        SqeEncoder.timeout(sqes, driver.sqe(), scratch.address() + at, 0, slots.token(s));
    }

    /**
     * A CQE of the stream in slot {@code s}: hands its data to the handler and re-arms as needed.
     *
     * @return the stream's end result, or {@link #GOES_ON}
     */
    int cqe(int s, int res, int cqeFlags) {
        Stream stream = (Stream) slots.keep[s];
        if (stream.parkedNow) {
            parked.remove(stream);
            return resume(s, stream);
        }
        if ((cqeFlags & UringLayout.CQE_F_BUFFER) != 0) {
            if (res > 0) {
                deliver(s, stream, cqeFlags, res);
            } else {
                // A buffer the kernel selected but did not fill: ours again.
                buffers.received(cqeFlags, 0);
                recycled(ProvidedBufferRing.bufferOf(cqeFlags));
            }
        }
        if ((cqeFlags & UringLayout.CQE_F_MORE) != 0) {
            return GOES_ON;
        }
        if (res > 0 || res == -AioErrno.ENOBUFS) {
            return resume(s, stream);
        }
        return res;
    }

    private void deliver(int s, Stream stream, int cqeFlags, int res) {
        int bid = ProvidedBufferRing.bufferOf(cqeFlags);
        MemorySegment data = buffers.received(cqeFlags, res);
        long chunk = buffers.keep(bid);
        boolean keep = false;
        try {
            keep = stream.handler.chunk(slots.attachment[s], data, chunk);
        } catch (Throwable t) {
            loop.report(t);
        }
        if (!keep) {
            buffers.unkeep(bid);
        }
        recycled(bid);
    }

    /** After a multishot ended or a park: the stream's end, or the next receive. */
    private int resume(int s, Stream stream) {
        FdTable.Entry e = fds.get(slots.handle[s]);
        if (slots.cancelled[s] || loop.isClosing() || e == null || e.closing) {
            return -AioErrno.ECANCELED;
        }
        if (buffers.queued() > 0) {
            rearms++;
            arm(s, stream);
        } else {
            parks++;
            park(s, stream);
        }
        return GOES_ON;
    }

    /** Loop: buffer {@code bid} may be free again; if it went back into the ring, the parked streams resume. */
    void recycled(int bid) {
        if (buffers.recycle(bid)) {
            for (Stream p; (p = parked.poll()) != null; ) {
                // Cancels the park (its CQE resumes the stream), not the stream: slots.cancelled stays false.
                SqeEncoder.cancel(sqes, driver.sqe(), slots.token(p.slot), UserData.IGNORE);
            }
        }
    }

    /**
     * {@link dev.aioops.spi.AioReceiveOperations#releaseChunk}: any thread; the buffer goes back on the loop.
     *
     * @param chunk the chunk's id
     */
    void release(long chunk) {
        ProvidedBufferRing b = buffers;
        if (b == null) {
            throw new IllegalStateException("chunk " + chunk + " is not kept: no stream ever received");
        }
        int bid = b.release(chunk);
        if (loop.onLoop()) {
            recycled(bid);
        } else {
            // Dropped when closed: no stream needs the buffer any more.
            loop.inbox().post((Runnable) () -> recycled(bid), false);
        }
    }
}
