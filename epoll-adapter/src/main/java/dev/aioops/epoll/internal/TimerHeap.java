package dev.aioops.epoll.internal;

import java.util.Arrays;

/**
 * The pending timeouts: a binary min-heap ordered by deadline, then by token, so that timeouts with the same
 * delay fire in submission order. Each operation knows its index, so a cancel removes it in O(log n).
 * Loop-confined.
 */
final class TimerHeap {

    private Op[] heap = new Op[64];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    Op peek() {
        return size == 0 ? null : heap[0];
    }

    void add(Op op) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = op;
        op.heapIndex = size;
        size++;
        up(op.heapIndex);
    }

    Op poll() {
        if (size == 0) {
            return null;
        }
        Op top = heap[0];
        removeAt(0);
        return top;
    }

    void remove(Op op) {
        int i = op.heapIndex;
        if (i >= 0 && i < size && heap[i] == op) {
            removeAt(i);
        }
    }

    private void removeAt(int i) {
        Op removed = heap[i];
        size--;
        Op last = heap[size];
        heap[size] = null;
        removed.heapIndex = -1;
        if (i < size) {
            heap[i] = last;
            last.heapIndex = i;
            down(i);
            up(last.heapIndex);
        }
    }

    private static boolean before(Op a, Op b) {
        long d = a.value - b.value;
        return d < 0 || d == 0 && a.token < b.token;
    }

    private void up(int i) {
        Op op = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            Op p = heap[parent];
            if (!before(op, p)) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = op;
        op.heapIndex = i;
    }

    private void down(int i) {
        Op op = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(heap[right], heap[child])) {
                child = right;
            }
            if (!before(heap[child], op)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapIndex = i;
            i = child;
        }
        heap[i] = op;
        op.heapIndex = i;
    }
}
