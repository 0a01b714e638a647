package dev.aioops.uring.internal;

import dev.aioops.spi.AioAcceptHandler;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.uring.ring.Sockets;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Accept streams served by the kernel: one multishot {@code IORING_OP_ACCEPT} per stream (Linux 5.19), each CQE a
 * new descriptor, adopted into the handle table at once (so that the instance's close closes what the library did
 * not) and handed to the library. A stream has one op slot ({@link OpSlots#ACCEPT_STREAM}) for its whole life: its
 * token and user_data, the listener's in-flight count, and the exactly-once end through
 * {@link RingOperations#complete}. The kernel ends a multishot accept with a CQE without
 * {@code IORING_CQE_F_MORE}; a descriptor in it (a full CQ ring) or {@code -ECONNABORTED} re-arms the same slot,
 * any other failure ends the stream.
 *
 * <p>Loop only.
 */
final class RingAcceptStreams {

    /** What {@link #cqe} returns while the stream goes on. */
    static final int GOES_ON = Integer.MIN_VALUE + 2;

    private final UringLoop loop;
    private final RingOperations ops;
    private final OpSlots slots;
    private final FdTable fds;
    private final RingDriver driver;
    private final MemorySegment sqes;
    private final MemorySegment errno;
    private final MemorySegment scratch;
    /** For tests: accepts submitted again after the kernel ended one. */
    volatile int rearms;

    RingAcceptStreams(UringLoop loop, RingOperations ops, OpSlots slots, FdTable fds, Arena memory) {
        this.loop = loop;
        this.ops = ops;
        this.slots = slots;
        this.fds = fds;
        this.driver = loop.driver();
        this.sqes = driver.sqes();
        this.errno = loop.errnoState();
        this.scratch = memory.allocate(Sockets.SCRATCH_SIZE, 8);
    }

    /** A stream: its handler, and the end as the slot's completion. */
    static final class Stream implements AioCompletion<Object> {
        final AioAcceptHandler<Object> handler;
        int fd;
        boolean unix;

        Stream(AioAcceptHandler<Object> handler) {
            this.handler = handler;
        }

        @Override
        public void completed(int result, Object attachment) {
            handler.end(result, attachment);
        }
    }

    long start(int listenHandle, Object attachment, Stream stream, long remote) {
        FdTable.Entry e = fds.get(listenHandle);
        if (e == null || e.closing) {
            return ops.completeNow(-AioErrno.EBADF, attachment, stream, remote);
        }
        if (e.kind != FdTable.LISTENER) {
            return ops.completeNow(e.kind == FdTable.DATAGRAM ? -AioErrno.EOPNOTSUPP : -AioErrno.EINVAL, attachment,
                    stream, remote);
        }
        int s = slots.alloc(OpSlots.ACCEPT_STREAM, listenHandle, attachment, stream, stream);
        e.inflight++;
        stream.fd = e.fd;
        stream.unix = e.unix;
        arm(s, stream);
        return ops.track(s, remote);
    }

    private void arm(int s, Stream stream) {
        SqeEncoder.acceptMultishot(sqes, driver.sqe(), stream.fd, UringLayout.SOCK_CLOEXEC, slots.token(s));
    }

    /**
     * A CQE of the stream in slot {@code s}: adopts and hands over its descriptor, re-arms as needed.
     *
     * @return the stream's end result, or {@link #GOES_ON}
     */
    int cqe(int s, int res, int cqeFlags) {
        Stream stream = (Stream) slots.keep[s];
        if (res >= 0) {
            if (!stream.unix) {
                Sockets.noDelay(errno, scratch, res);
            }
            int handle = fds.adopt(res, FdTable.SOCKET, stream.unix);
            if (handle >= 0) {
                try {
                    stream.handler.accepted(slots.attachment[s], handle);
                } catch (Throwable t) {
                    loop.report(t);
                }
            }
        }
        if ((cqeFlags & UringLayout.CQE_F_MORE) != 0) {
            return GOES_ON;
        }
        if (res >= 0 || res == -AioErrno.ECONNABORTED) {
            FdTable.Entry e = fds.get(slots.handle[s]);
            if (slots.cancelled[s] || loop.isClosing() || e == null || e.closing) {
                return -AioErrno.ECANCELED;
            }
            rearms++;
            arm(s, stream);
            return GOES_ON;
        }
        return res;
    }
}
