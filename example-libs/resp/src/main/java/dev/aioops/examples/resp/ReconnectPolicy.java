package dev.aioops.examples.resp;

import java.time.Duration;
import java.util.Objects;

/**
 * When {@link ReconnectingRedisClient} tries again after its connection is lost, and what commands do meanwhile.
 * The n-th attempt waits {@code min(maxDelay, firstDelay * 2^(n-1))}, less a random part of up to {@code jitter} of
 * it (so that many clients that lost the same server do not return in step).
 *
 * @param firstDelay           the wait before the first attempt
 * @param maxDelay             the longest wait between attempts
 * @param jitter               the random part of each wait, 0 (none) to 1 (anywhere from 0 to the full wait)
 * @param waitWhileDisconnected how long a command issued while disconnected may wait for the connection to come
 *                             back; {@link Duration#ZERO} fails it at once
 * @param maxWaiting           the most commands that may wait at once; more fail at once
 */
public record ReconnectPolicy(Duration firstDelay, Duration maxDelay, double jitter, Duration waitWhileDisconnected,
                              int maxWaiting) {

    /** 100 ms doubling up to 10 s, half of it random; commands wait up to 5 s, at most 10,000 of them. */
    public static final ReconnectPolicy DEFAULTS = new ReconnectPolicy(Duration.ofMillis(100), Duration.ofSeconds(10),
            0.5, Duration.ofSeconds(5), 10_000);

    /**
     * Checks the policy.
     *
     * @throws NullPointerException     if a duration is null
     * @throws IllegalArgumentException if a delay is not positive, the maximum is below the first, the jitter is
     *                                  outside 0..1, the wait is negative or the queue is negative
     */
    public ReconnectPolicy {
        Objects.requireNonNull(firstDelay, "firstDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        Objects.requireNonNull(waitWhileDisconnected, "waitWhileDisconnected");
        if (firstDelay.isNegative() || firstDelay.isZero() || maxDelay.compareTo(firstDelay) < 0
                || !(jitter >= 0 && jitter <= 1) || waitWhileDisconnected.isNegative() || maxWaiting < 0) {
            throw new IllegalArgumentException("a reconnect policy needs 0 < firstDelay <= maxDelay, 0 <= jitter <= 1,"
                    + " waitWhileDisconnected >= 0 and maxWaiting >= 0: " + this);
        }
    }

    /**
     * The wait before an attempt.
     *
     * @param attempt 1 for the first attempt after the loss
     * @param random  a number in {@code [0, 1)}
     * @return the delay in nanoseconds, at least 1
     */
    long delayNanos(int attempt, double random) {
        double full = Math.min(maxDelay.toNanos(), firstDelay.toNanos() * Math.pow(2, Math.min(attempt - 1, 62)));
        return Math.max(1, (long) (full * (1 - jitter * random)));
    }
}
