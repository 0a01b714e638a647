package dev.aioops.examples.resp;

/**
 * Bounds on what {@link RespParser} accepts from the network, so that a broken or hostile server gets a clear
 * {@link RespProtocolException} instead of an {@link OutOfMemoryError}. Memory is allocated as bytes arrive,
 * never ahead of them, except a bulk string's array, which is why its size is bounded here.
 *
 * @param maxBulkLength  the largest bulk string, in bytes (Redis itself allows 512 MiB)
 * @param maxArrayLength the most elements of one array
 * @param maxDepth       how deeply arrays may nest
 * @param maxLineLength  the longest simple string, error or length line, in bytes
 */
public record RespLimits(int maxBulkLength, int maxArrayLength, int maxDepth, int maxLineLength) {

    /** 16 MiB bulk strings, 1 Mi elements per array, 32 levels, 64 KiB lines. */
    public static final RespLimits DEFAULTS = new RespLimits(16 << 20, 1 << 20, 32, 64 << 10);

    /**
     * Checks the limits.
     *
     * @throws IllegalArgumentException if a limit is not positive
     */
    public RespLimits {
        if (maxBulkLength < 0 || maxArrayLength < 0 || maxDepth < 1 || maxLineLength < 16) {
            throw new IllegalArgumentException("limits must be positive (lines at least 16 bytes): bulk "
                    + maxBulkLength + ", array " + maxArrayLength + ", depth " + maxDepth + ", line " + maxLineLength);
        }
    }
}
