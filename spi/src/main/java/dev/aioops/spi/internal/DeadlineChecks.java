package dev.aioops.spi.internal;

/**
 * The check of an operation's deadline ({@link dev.aioops.spi.AioDeadlineOperations}) that every adapter makes
 * before accepting it, so that misuse throws the same exception with the same message whatever the adapter.
 */
public final class DeadlineChecks {

    private DeadlineChecks() {
    }

    /**
     * Checks a deadline: positive.
     *
     * @param timeoutNanos the deadline, in nanoseconds from submission
     * @return {@code timeoutNanos}
     * @throws IllegalArgumentException if it is not positive
     */
    public static long timeout(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeoutNanos must be > 0, was " + timeoutNanos
                    + ": use the operation without a deadline to wait without limit");
        }
        return timeoutNanos;
    }
}
