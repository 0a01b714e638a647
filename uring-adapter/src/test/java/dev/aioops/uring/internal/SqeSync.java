package dev.aioops.uring.internal;

import java.lang.foreign.MemorySegment;

/** Test helper: one SQE at a time on a bare {@link Ring}, submitted and waited for on the calling thread. */
final class SqeSync {

    private SqeSync() {
    }

    /** The next free SQE; the ring must have room. */
    static long next(Ring ring) {
        long at = ring.nextSqe();
        if (at < 0) {
            throw new AssertionError("the SQ is full");
        }
        return at;
    }

    /** Submits what was filled, waits for one completion and returns its result. */
    static int submitAndWait(Ring ring) {
        while (ring.cqReady() == 0) {
            int r = ring.submit(1, true, MemorySegment.NULL);
            if (r < 0 && r != -dev.aioops.spi.AioErrno.EINTR) {
                throw new AssertionError("io_uring_enter: " + r);
            }
        }
        int res = ring.cqeRes(0);
        ring.cqAdvance(1);
        return res;
    }
}
