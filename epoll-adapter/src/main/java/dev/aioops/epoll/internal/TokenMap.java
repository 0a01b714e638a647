package dev.aioops.epoll.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The operations not yet completed, by token: an open-addressing hash map from {@code long} to {@link Op}
 * with linear probing and backward-shift deletion, so that neither insertion nor removal allocates (except
 * to grow). Tokens are never 0, which marks a free slot. Loop-confined.
 */
final class TokenMap {

    private long[] keys = new long[1024];
    private Op[] values = new Op[1024];
    private int size;

    int size() {
        return size;
    }

    Op get(long token) {
        if (token == 0) {
            return null;
        }
        int mask = keys.length - 1;
        for (int i = index(token, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == token) {
                return values[i];
            }
            if (k == 0) {
                return null;
            }
        }
    }

    void put(Op op) {
        if (2 * (size + 1) > keys.length) {
            grow();
        }
        insert(op.token, op);
        size++;
    }

    void remove(long token) {
        int mask = keys.length - 1;
        int i = index(token, mask);
        while (keys[i] != token) {
            if (keys[i] == 0) {
                return;
            }
            i = (i + 1) & mask;
        }
        keys[i] = 0;
        values[i] = null;
        size--;
        // Backward shift: move later entries of the probe run into the hole where their probe allows.
        int hole = i;
        for (int j = (hole + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = index(keys[j], mask);
            if (((j - home) & mask) >= ((j - hole) & mask)) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                keys[j] = 0;
                values[j] = null;
                hole = j;
            }
        }
    }

    List<Op> snapshot() {
        List<Op> all = new ArrayList<>(size);
        for (Op op : values) {
            if (op != null) {
                all.add(op);
            }
        }
        return all;
    }

    private void insert(long token, Op op) {
        int mask = keys.length - 1;
        int i = index(token, mask);
        while (keys[i] != 0) {
            i = (i + 1) & mask;
        }
        keys[i] = token;
        values[i] = op;
    }

    private void grow() {
        long[] oldKeys = keys;
        Op[] oldValues = values;
        keys = new long[oldKeys.length * 2];
        values = new Op[oldValues.length * 2];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                insert(oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int index(long token, int mask) {
        long h = token * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }
}
