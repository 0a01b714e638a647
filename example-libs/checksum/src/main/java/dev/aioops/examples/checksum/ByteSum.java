package dev.aioops.examples.checksum;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The checksum of a byte sequence: its length and the sum of its bytes taken as unsigned values (0 to 255).
 * The sum does not depend on the order in which blocks are added, which is what lets
 * {@link ByteChecksummer} keep several reads in flight. Immutable.
 *
 * @param length how many bytes were summed
 * @param sum    the sum of the bytes as unsigned values; it cannot overflow below 32 PiB of input
 */
public record ByteSum(long length, long sum) {

    /** Bytes 0, 2, 4 and 6 of a long, each in the low half of a 16-bit lane. */
    private static final long EVEN_BYTES = 0x00FF_00FF_00FF_00FFL;
    /** How many eight-byte steps a 16-bit lane takes before it could overflow: 128 × 2 × 255 is below 65,536. */
    private static final long LANE_STEPS = 128;

    /** The checksum of nothing. */
    public static final ByteSum EMPTY = new ByteSum(0, 0);

    /**
     * Checks the components.
     *
     * @throws IllegalArgumentException if a component is negative
     */
    public ByteSum {
        if (length < 0 || sum < 0) {
            throw new IllegalArgumentException("length and sum are never negative: " + length + ", " + sum);
        }
    }

    /**
     * The checksum of an array, by the plain loop every other way of summing must agree with.
     *
     * @param bytes the bytes
     * @return their checksum
     */
    public static ByteSum of(byte[] bytes) {
        long sum = 0;
        for (byte b : bytes) {
            sum += b & 0xFF;
        }
        return new ByteSum(bytes.length, sum);
    }

    /**
     * The sum of the first {@code length} bytes of a segment, as unsigned values.
     *
     * @param segment the bytes, heap or native
     * @param length  how many bytes, from the start
     * @return their sum
     */
    public static long sumOf(MemorySegment segment, long length) {
        long sum = 0;
        long i = 0;
        long words = length / Long.BYTES;
        // Eight bytes per step into four 16-bit lanes, even and odd bytes added apart: a step adds at most
        // 2 × 255 to a lane, so a lane holds LANE_STEPS steps before it is folded into the sum. The inner loop is
        // plain enough for C2 to vectorize.
        while (words > 0) {
            long steps = Math.min(words, LANE_STEPS);
            long end = i + steps * Long.BYTES;
            long lanes = 0;
            for (; i < end; i += Long.BYTES) {
                long word = segment.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
                lanes += (word & EVEN_BYTES) + ((word >>> 8) & EVEN_BYTES);
            }
            sum += (lanes & 0xFFFF) + ((lanes >>> 16) & 0xFFFF) + ((lanes >>> 32) & 0xFFFF) + (lanes >>> 48);
            words -= steps;
        }
        for (; i < length; i++) {
            sum += segment.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
        }
        return sum;
    }

    /**
     * This checksum followed by another block.
     *
     * @param other the checksum of more bytes
     * @return the checksum of both
     */
    public ByteSum plus(ByteSum other) {
        return new ByteSum(length + other.length, sum + other.sum);
    }
}
