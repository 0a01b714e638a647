package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioVector;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.MemorySegment;

/**
 * Vectored reads and writes: {@code IORING_OP_READV} and {@code IORING_OP_WRITEV} on files and sockets alike,
 * with the caller's {@link AioVector#iovecs()} array as it is, so that a reused vector costs no allocation. The
 * slot keeps the vector (and through it its segments) reachable until the CQE; the descriptor is pinned by its
 * in-flight count like a read's. The kernel caps the total at {@code MAX_RW_COUNT} itself. Loop thread only.
 */
final class RingVectorOperations {

    private final RingOperations ops;
    private final OpSlots slots;
    private final FdTable fds;
    private final RingDriver driver;
    private final MemorySegment sqes;
    private final OpcodeSupport kernel;
    private final RingDeadlines deadlines;

    RingVectorOperations(RingOperations ops, OpSlots slots, FdTable fds, RingDriver driver, OpcodeSupport kernel,
                         RingDeadlines deadlines) {
        this.ops = ops;
        this.slots = slots;
        this.fds = fds;
        this.driver = driver;
        this.sqes = driver.sqes();
        this.kernel = kernel;
        this.deadlines = deadlines;
    }

    /**
     * A {@code readv} or {@code writev}. What the kernel would refuse with a signal or a different errno per
     * handle kind is refused here: an eventfd ({@code -EINVAL}), a listener ({@code -ENOTCONN} for a read,
     * {@code -EPIPE} for a write, as {@code read}/{@code write} give, without the {@code SIGPIPE} of a
     * {@code writev} to a socket that is not connected), a position on a stream ({@code -ESPIPE}). A deadline of
     * {@code timeoutNanos} unless 0 ({@link RingDeadlines}).
     */
    long transfer(boolean write, int handle, AioVector vector, long offset, long timeoutNanos, Object attachment,
                  AioCompletion<Object> completion, long remote) {
        FdTable.Entry e = fds.get(handle);
        int opcode = write ? UringLayout.OP_WRITEV : UringLayout.OP_READV;
        boolean stream = e != null && e.kind != FdTable.FILE && e.kind != FdTable.DIRECTORY;
        int refused = e == null || e.closing ? -AioErrno.EBADF
                : e.kind == FdTable.EVENTFD || e.kind == FdTable.DATAGRAM ? -AioErrno.EINVAL
                : e.kind == FdTable.LISTENER ? (write ? -AioErrno.EPIPE : -AioErrno.ENOTCONN)
                : stream && offset != AioOperations.STREAM ? -AioErrno.ESPIPE
                : !vectorAlive(vector) ? -AioErrno.EFAULT
                : !kernel.has(opcode) || !deadlines.supported(timeoutNanos) ? -AioErrno.EOPNOTSUPP
                : 0;
        if (refused != 0) {
            return ops.completeNow(refused, attachment, completion, remote);
        }
        int s = slots.alloc(write ? OpSlots.WRITE : OpSlots.READ, handle, attachment, completion, vector);
        e.inflight++;
        long at = driver.sqe();
        long position = stream ? 0 : offset;
        long iovecs = vector.iovecs().address();
        if (write) {
            SqeEncoder.writev(sqes, at, e.fd, iovecs, vector.count(), position, slots.token(s));
        } else {
            SqeEncoder.readv(sqes, at, e.fd, iovecs, vector.count(), position, slots.token(s));
        }
        deadlines.start(s, timeoutNanos);
        return ops.track(s, remote);
    }

    /** Whether every arena is still open; a cross-thread submission may find one closed by the time it lands. */
    private static boolean vectorAlive(AioVector vector) {
        if (!vector.iovecs().scope().isAlive()) {
            return false;
        }
        for (int i = 0; i < vector.count(); i++) {
            if (!vector.segment(i).scope().isAlive()) {
                return false;
            }
        }
        return true;
    }
}
