package dev.aioops.examples.resp;

/**
 * Bounds on what {@link RespParser} accepts from the network, so that a broken or hostile server gets a clear
 * {@link RespProtocolException} instead of an {@link OutOfMemoryError}. Memory is allocated as bytes arrive, never
 * ahead of them (a bulk string's array grows with its bytes), and every value received is charged its heap cost
 * against {@link #maxReplyBytes}: a flood of small elements costs far more heap than wire bytes (an integer
 * element is 4 bytes on the wire and about 40 on the heap), so counting wire bytes would not bound it.
 *
 * @param maxBulkLength  the largest bulk string, in bytes (Redis itself allows 512 MiB)
 * @param maxArrayLength the most elements of one array
 * @param maxDepth       how deeply arrays may nest
 * @param maxLineLength  the longest simple string, error or length line, in bytes
 * @param maxReplyBytes  the most heap one reply may take while it is received (an estimate of the objects that
 *                       represent it); the client hands each reply over as soon as it is complete, so this also
 *                       bounds what a connection holds of replies not yet delivered
 */
public record RespLimits(int maxBulkLength, int maxArrayLength, int maxDepth, int maxLineLength,
                         long maxReplyBytes) {

    /**
     * 512 MiB bulk strings (as Redis), 16 Mi elements per array, 32 levels, 64 KiB lines, and one reply at most a
     * quarter of the heap this JVM may use (at most 1 GiB), so that no reply can exhaust it.
     */
    public static final RespLimits DEFAULTS = new RespLimits(512 << 20, 16 << 20, 32, 64 << 10,
            Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 4));

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public RespLimits {
        if (maxBulkLength < 0 || maxArrayLength < 0 || maxDepth < 1 || maxLineLength < 16 || maxReplyBytes < 64) {
            throw new IllegalArgumentException("limits must be positive (lines at least 16 bytes, replies at least"
                    + " 64): bulk " + maxBulkLength + ", array " + maxArrayLength + ", depth " + maxDepth + ", line "
                    + maxLineLength + ", reply " + maxReplyBytes);
        }
    }

    /**
     * Limits with the default reply memory cap ({@link #DEFAULTS}'s).
     *
     * @param maxBulkLength  the largest bulk string, in bytes
     * @param maxArrayLength the most elements of one array
     * @param maxDepth       how deeply arrays may nest
     * @param maxLineLength  the longest simple string, error or length line, in bytes
     */
    public RespLimits(int maxBulkLength, int maxArrayLength, int maxDepth, int maxLineLength) {
        this(maxBulkLength, maxArrayLength, maxDepth, maxLineLength, DEFAULTS.maxReplyBytes());
    }

    /**
     * A copy with another reply memory cap.
     *
     * @param maxReplyBytes the most heap one reply may take
     * @return the copy
     */
    public RespLimits withMaxReplyBytes(long maxReplyBytes) {
        return new RespLimits(maxBulkLength, maxArrayLength, maxDepth, maxLineLength, maxReplyBytes);
    }
}
