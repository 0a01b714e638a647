package dev.aioops.spi.internal;

import dev.aioops.spi.AioVector;

import java.util.Objects;

/**
 * The checks of a vectored read or write ({@link dev.aioops.spi.AioVectoredOperations}) that every adapter makes
 * before accepting it, so that misuse throws the same exception with the same message whatever the adapter.
 */
public final class VectorChecks {

    private VectorChecks() {
    }

    /**
     * Checks the vector of a {@code readv}: non-empty, every segment alive and writable.
     *
     * @param vector the vector a read fills
     * @return {@code vector}
     * @throws NullPointerException     if null
     * @throws IllegalArgumentException if it has no segment or a read-only one
     * @throws IllegalStateException    if a segment's arena or the vector's is closed
     */
    public static AioVector readVector(AioVector vector) {
        vector(vector);
        for (int i = 0; i < vector.count(); i++) {
            if (vector.segment(i).isReadOnly()) {
                throw new IllegalArgumentException("a vectored read needs writable segments; segment " + i
                        + " is a read-only view (MemorySegment.asReadOnly()): add the segment the view was made from");
            }
        }
        return vector;
    }

    /**
     * Checks the vector of a {@code writev}: non-empty, every segment alive.
     *
     * @param vector the vector a write sends
     * @return {@code vector}
     * @throws NullPointerException     if null
     * @throws IllegalArgumentException if it has no segment
     * @throws IllegalStateException    if a segment's arena or the vector's is closed
     */
    public static AioVector vector(AioVector vector) {
        Objects.requireNonNull(vector, "vector");
        if (vector.count() == 0) {
            throw new IllegalArgumentException("vector is empty: add at least one segment before submitting it");
        }
        if (!vector.iovecs().scope().isAlive()) {
            throw new IllegalStateException("the vector's arena is closed; allocate a new vector");
        }
        for (int i = 0; i < vector.count(); i++) {
            if (!vector.segment(i).scope().isAlive()) {
                throw new IllegalStateException("segment " + i + " of the vector has a closed arena; keep every "
                        + "segment's arena open until the completion has run");
            }
        }
        return vector;
    }
}
