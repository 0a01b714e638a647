package dev.aioops.bench.suite;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** The byte sum of the checksum workload, for the contenders that do not use the checksum library. */
final class Sums {

    private Sums() {
    }

    /** The sum of the unsigned bytes of {@code segment[0, length)}. */
    static long of(MemorySegment segment, long length) {
        long sum = 0;
        long i = 0;
        for (; i + 8 <= length; i += 8) {
            long word = segment.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
            long pairs = (word & 0x00FF00FF00FF00FFL) + ((word >>> 8) & 0x00FF00FF00FF00FFL);
            long quads = (pairs & 0x0000FFFF0000FFFFL) + ((pairs >>> 16) & 0x0000FFFF0000FFFFL);
            sum += (quads & 0xFFFFFFFFL) + (quads >>> 32);
        }
        for (; i < length; i++) {
            sum += segment.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
        }
        return sum;
    }
}
