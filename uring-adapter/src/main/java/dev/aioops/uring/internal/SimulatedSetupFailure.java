package dev.aioops.uring.internal;

import dev.aioops.spi.AioErrno;

import java.util.Locale;

/**
 * A simulated {@code io_uring_setup} failure, to test what happens when the availability probe passes but an
 * instance's ring is refused (a memory limit that admits a small ring and not a large one):
 * {@code -Daioops.uring.simulateSetupFailure=ENOMEM} fails every setup,
 * {@code -Daioops.uring.simulateSetupFailure=ENOMEM:8192} only rings of at least 8192 CQ entries. The property is
 * read on every setup; unset, it costs one property lookup per ring.
 */
final class SimulatedSetupFailure {

    /** The system property. */
    static final String PROPERTY = "aioops.uring.simulateSetupFailure";

    private SimulatedSetupFailure() {
    }

    /**
     * The errno a setup of this size fails with, if simulated.
     *
     * @param cqEntries the CQ entries asked for
     * @return a positive errno, or 0 when not simulated
     */
    static int errno(int cqEntries) {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return 0;
        }
        String[] parts = value.trim().toUpperCase(Locale.ROOT).split(":", 2);
        if (parts.length == 2 && cqEntries < Integer.parseInt(parts[1].trim())) {
            return 0;
        }
        return switch (parts[0].trim()) {
            case "EPERM" -> AioErrno.EPERM;
            case "ENOSYS" -> AioErrno.ENOSYS;
            case "EINVAL" -> AioErrno.EINVAL;
            case "EMFILE" -> AioErrno.EMFILE;
            default -> AioErrno.ENOMEM;
        };
    }
}
