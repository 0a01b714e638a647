package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioShutdown;
import dev.aioops.uring.ring.SocketOptions;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.MemorySegment;

/**
 * The socket operations of the ring beyond connect, accept, recv and send: {@code SHUTDOWN}. The socket is pinned
 * (its in-flight count) like the file of a read, so that closing it waits for the operation. Loop thread only.
 */
final class RingSocketOperations {

    private final RingOperations ops;
    private final OpSlots slots;
    private final FdTable fds;
    private final RingDriver driver;
    private final MemorySegment sqes;
    private final OpcodeSupport kernel;

    RingSocketOperations(RingOperations ops, OpSlots slots, FdTable fds, RingDriver driver, OpcodeSupport kernel) {
        this.ops = ops;
        this.slots = slots;
        this.fds = fds;
        this.driver = driver;
        this.sqes = driver.sqes();
        this.kernel = kernel;
    }

    /**
     * {@code IORING_OP_SHUTDOWN}. A listener is refused with {@code -ENOTCONN} before the kernel, which would
     * accept a shutdown of a listener (and stop it listening on {@code SHUT_RD}): see {@code AioSocketOperations}.
     */
    long shutdown(int handle, AioShutdown how, Object attachment, AioCompletion<Object> completion, long remote) {
        FdTable.Entry e = fds.get(handle);
        int refused = e == null || e.closing ? -AioErrno.EBADF
                : e.kind == FdTable.LISTENER ? -AioErrno.ENOTCONN
                : e.kind != FdTable.SOCKET && e.kind != FdTable.DATAGRAM ? -AioErrno.ENOTSOCK
                : !kernel.has(UringLayout.OP_SHUTDOWN) ? -AioErrno.EOPNOTSUPP
                : 0;
        if (refused != 0) {
            return ops.completeNow(refused, attachment, completion, remote);
        }
        int s = slots.alloc(OpSlots.FSYNC, handle, attachment, completion, null);
        e.inflight++;
        SqeEncoder.shutdown(sqes, driver.sqe(), e.fd, SocketOptions.how(how), slots.token(s));
        return ops.track(s, remote);
    }
}
