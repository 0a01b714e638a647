package dev.aioops.tck;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * One counter per submission, for runs too long to size an array up front: ids are handed out in order, and
 * each completion counts against its id. Afterwards, an id counted 0 times was lost and one counted more than
 * once was doubled. Thread-safe.
 */
final class SubmissionLedger {

    private static final int CHUNK_BITS = 16;
    private static final int CHUNK = 1 << CHUNK_BITS;

    private final AtomicReferenceArray<AtomicIntegerArray> chunks =
            new AtomicReferenceArray<>(Integer.MAX_VALUE / CHUNK + 1);
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger offLoop = new AtomicInteger();
    private final AtomicInteger repeats = new AtomicInteger();

    /**
     * A new submission.
     *
     * @return its id
     */
    int issue() {
        int id = issued.getAndIncrement();
        int c = id >>> CHUNK_BITS;
        if (chunks.get(c) == null) {
            chunks.compareAndSet(c, null, new AtomicIntegerArray(CHUNK));
        }
        return id;
    }

    /**
     * Counts a completion.
     *
     * @param id     the submission
     * @param onLoop whether it ran on the instance's loop
     * @return {@code true} for its first completion, {@code false} for a repeat
     */
    boolean complete(int id, boolean onLoop) {
        if (!onLoop) {
            offLoop.incrementAndGet();
        }
        if (chunks.get(id >>> CHUNK_BITS).incrementAndGet(id & (CHUNK - 1)) == 1) {
            return true;
        }
        repeats.incrementAndGet();
        return false;
    }

    /** How many completions a submission has had so far. */
    int calls(int id) {
        return chunks.get(id >>> CHUNK_BITS).get(id & (CHUNK - 1));
    }

    /** Submissions handed out so far. */
    int issued() {
        return issued.get();
    }

    /** Completions that did not run on the loop. */
    int offLoop() {
        return offLoop.get();
    }

    /** Submissions never completed, counted over all ids issued. */
    int lost() {
        int lost = 0;
        for (int id = 0, n = issued(); id < n; id++) {
            lost += calls(id) == 0 ? 1 : 0;
        }
        return lost;
    }

    /** Submissions completed more than once. */
    int doubled() {
        int doubled = 0;
        for (int id = 0, n = issued(); id < n; id++) {
            doubled += calls(id) > 1 ? 1 : 0;
        }
        return doubled;
    }

    /** Completions beyond the first, over all submissions. */
    int repeats() {
        return repeats.get();
    }
}
