package dev.aioops.uring.internal;

import java.util.Arrays;

/**
 * The op slots that have a deadline, as a binary min-heap of their due times ({@link System#nanoTime} values).
 * Each slot knows its place in the heap, so that an op completing before its deadline leaves in O(log n); an op
 * added with a due time no earlier than any other (the usual case: one timeout for all reads of a server) stays
 * where it is put. Allocation-free once grown to the number of slots; loop thread only.
 */
final class SlotDeadlineHeap {

    private static final int ABSENT = -1;

    private int[] heap = new int[64];
    private int size;
    /** By slot: its index in {@link #heap}, or {@link #ABSENT}. */
    private int[] place = new int[0];
    /** By slot: its due time, valid while it is in the heap. */
    private long[] due = new long[0];

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    /** The earliest due time; only when not empty. */
    long earliest() {
        return due[heap[0]];
    }

    /** Adds slot {@code s}, which is not in the heap, due at {@code dueNanos}. */
    void add(int s, long dueNanos) {
        if (s >= place.length) {
            int n = Math.max(s + 1, place.length * 2);
            int old = place.length;
            place = Arrays.copyOf(place, n);
            Arrays.fill(place, old, n, ABSENT);
            due = Arrays.copyOf(due, n);
        }
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        due[s] = dueNanos;
        heap[size] = s;
        place[s] = size;
        up(size++);
    }

    /** Removes slot {@code s} if it is in the heap. */
    void remove(int s) {
        if (s < place.length && place[s] != ABSENT) {
            removeAt(place[s]);
        }
    }

    /** Removes and returns the slot due first; only when not empty. */
    int poll() {
        int s = heap[0];
        removeAt(0);
        return s;
    }

    private void removeAt(int i) {
        place[heap[i]] = ABSENT;
        int last = heap[--size];
        if (i < size) {
            heap[i] = last;
            place[last] = i;
            down(i);
            up(place[last]);
        }
    }

    private boolean before(int a, int b) {
        return due[a] - due[b] < 0;
    }

    private void up(int i) {
        int s = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(s, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            place[heap[i]] = i;
            i = parent;
        }
        heap[i] = s;
        place[s] = i;
    }

    private void down(int i) {
        int s = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], s)) {
                break;
            }
            heap[i] = heap[child];
            place[heap[i]] = i;
            i = child;
        }
        heap[i] = s;
        place[s] = i;
    }
}
