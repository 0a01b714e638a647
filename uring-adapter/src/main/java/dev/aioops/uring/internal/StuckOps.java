package dev.aioops.uring.internal;

import dev.aioops.spi.AioCloseTimeoutException;

import java.time.Duration;

/**
 * What a close that timed out reports: the operations the kernel still holds, by kind and handle. They stay
 * pending (see {@link UringAioOperations}); this only describes them. Loop thread only.
 */
final class StuckOps {

    private static final int DESCRIBED = 8;
    private static final String[] KINDS = {"free", "read", "write", "fsync", "open", "accept", "connect", "timeout",
        "close", "listen", "path operation", "datagram", "sendFile"};

    private StuckOps() {
    }

    /**
     * How many operations other than pending handle closes (which finish with the operations they wait for) are
     * in flight.
     */
    static int count(OpSlots slots) {
        int n = 0;
        for (int s = 0; s < slots.capacity(); s++) {
            byte kind = slots.kind[s];
            if (kind != OpSlots.FREE && kind != OpSlots.CLOSE) {
                n++;
            }
        }
        return n;
    }

    /** The report for {@link dev.aioops.spi.AioConfig#errorHandler()}, or null when nothing is stuck. */
    static AioCloseTimeoutException report(OpSlots slots, Duration waited) {
        int n = count(slots);
        if (n == 0) {
            return null;
        }
        StringBuilder detail = new StringBuilder();
        int described = 0;
        for (int s = 0; s < slots.capacity() && described < DESCRIBED; s++) {
            byte kind = slots.kind[s];
            if (kind != OpSlots.FREE && kind != OpSlots.CLOSE) {
                detail.append(described++ == 0 ? "" : ", ").append(KINDS[kind]);
                if (slots.handle[s] >= 0) {
                    detail.append(" on handle ").append(slots.handle[s]);
                }
            }
        }
        if (n > described) {
            detail.append(", ...");
        }
        return new AioCloseTimeoutException("uring", n, waited, detail.toString());
    }
}
