package dev.aioops.vertx.internal;

import dev.aioops.spi.internal.LoopCounters;

import java.util.Arrays;

/**
 * The operations in flight of one engine, by token: an open-addressing table with linear probing over primitive
 * keys, so that recording and forgetting an operation (twice per operation, on the loop) allocates nothing, where
 * a {@code HashMap<Long, Op>} boxed the token and allocated an entry each time. Tokens are {@code >= 1}; 0 marks
 * a free slot. Loop thread only.
 */
final class OpsInFlight {

    private static final int INITIAL_CAPACITY = 64;

    private long[] tokens = new long[INITIAL_CAPACITY];
    private Op[] ops = new Op[INITIAL_CAPACITY];
    private int size;
    /** Operations recorded and forgotten, for AioStats ({@link VertxStats}). */
    final LoopCounters counters = new LoopCounters();

    /** Records {@code op} under its token (at most once). */
    void put(Op op) {
        if ((size + 1) * 2 > tokens.length) {
            grow();
        }
        int mask = tokens.length - 1;
        int i = slot(op.token, mask);
        while (tokens[i] != 0) {
            if (tokens[i] == op.token) {
                ops[i] = op;
                return;
            }
            i = (i + 1) & mask;
        }
        tokens[i] = op.token;
        ops[i] = op;
        size++;
        counters.submitted();
    }

    /** The operation recorded under {@code token}, or null. */
    Op get(long token) {
        int mask = tokens.length - 1;
        for (int i = slot(token, mask); tokens[i] != 0; i = (i + 1) & mask) {
            if (tokens[i] == token) {
                return ops[i];
            }
        }
        return null;
    }

    /** Forgets the operation recorded under {@code token}, if any. */
    void remove(long token) {
        int mask = tokens.length - 1;
        int i = slot(token, mask);
        while (tokens[i] != token) {
            if (tokens[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        // Backward-shift deletion: moves later entries of the probe run up, so that no lookup stops early.
        int hole = i;
        for (int j = (hole + 1) & mask; tokens[j] != 0; j = (j + 1) & mask) {
            int home = slot(tokens[j], mask);
            // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
            boolean homeAfterHole = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!homeAfterHole) {
                tokens[hole] = tokens[j];
                ops[hole] = ops[j];
                hole = j;
            }
        }
        tokens[hole] = 0;
        ops[hole] = null;
        size--;
        counters.completed();
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** A snapshot of the operations recorded, in no particular order. */
    Op[] toArray() {
        Op[] all = new Op[size];
        int n = 0;
        for (Op op : ops) {
            if (op != null) {
                all[n++] = op;
            }
        }
        return all;
    }

    void clear() {
        Arrays.fill(tokens, 0);
        Arrays.fill(ops, null);
        size = 0;
    }

    private void grow() {
        long[] oldTokens = tokens;
        Op[] oldOps = ops;
        tokens = new long[oldTokens.length * 2];
        ops = new Op[oldOps.length * 2];
        size = 0;
        for (Op op : oldOps) {
            if (op != null) {
                put(op);
            }
        }
    }

    private static int slot(long token, int mask) {
        return (int) ((token * 0x9E3779B97F4A7C15L) >>> 32) & mask;
    }
}
