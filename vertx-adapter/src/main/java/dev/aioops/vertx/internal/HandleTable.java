package dev.aioops.vertx.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The handles of one instance: table slots with a generation, so that a stale handle number is very unlikely to
 * name a newer handle. A handle is {@code generation << 20 | slot} (never negative). Each table starts its
 * generations at a different value, so that a handle of another instance is unknown here too (until 2048
 * instances later). Written by the loop only; {@link #get} is safe on any thread.
 */
final class HandleTable {

    private static final int SLOT_BITS = 20;
    private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    private static final int GENERATION_MASK = (1 << (31 - SLOT_BITS)) - 1;
    private static final AtomicInteger TABLES = new AtomicInteger();

    /** Replaced (never shrunk) when full; volatile so that readers on other threads see the grown table. */
    private volatile AtomicReferenceArray<AioHandle> slots = new AtomicReferenceArray<>(64);
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int used;
    private int size;
    /** Where this table's generations start: new slots begin there rather than at 0. */
    private final int firstGeneration = TABLES.getAndIncrement() & GENERATION_MASK;

    /**
     * Loop: gives a handle a number.
     *
     * @param handle the handle
     * @return its number, or -1 when the table is full (over a million handles)
     */
    int add(AioHandle handle) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (used == SLOT_MASK + 1) {
                return -1;
            }
            if (used == slots.length()) {
                grow();
            }
            slot = used++;
            generations[slot] = firstGeneration;
        }
        int generation = (generations[slot] + 1) & GENERATION_MASK;
        generations[slot] = generation;
        int id = generation << SLOT_BITS | slot;
        handle.id = id;
        slots.set(slot, handle);
        size++;
        return id;
    }

    /**
     * Any thread: the open handle of a number.
     *
     * @param id a handle number
     * @return the handle, or null if the number is unknown or its handle was removed
     */
    AioHandle get(int id) {
        if (id < 0) {
            return null;
        }
        AtomicReferenceArray<AioHandle> s = slots;
        int slot = id & SLOT_MASK;
        if (slot >= s.length()) {
            return null;
        }
        AioHandle h = s.get(slot);
        return h != null && h.id == id ? h : null;
    }

    /** Loop: removes a handle; its number becomes unknown at once. */
    void remove(AioHandle handle) {
        int slot = handle.id & SLOT_MASK;
        if (get(handle.id) == handle) {
            slots.set(slot, null);
            if (freeCount == free.length) {
                free = java.util.Arrays.copyOf(free, free.length * 2);
            }
            free[freeCount++] = slot;
            size--;
        }
    }

    /** Loop: how many handles are open. */
    int size() {
        return size;
    }

    /** Loop: every open handle. */
    List<AioHandle> all() {
        List<AioHandle> all = new ArrayList<>(size);
        AtomicReferenceArray<AioHandle> s = slots;
        for (int i = 0; i < used; i++) {
            AioHandle h = s.get(i);
            if (h != null) {
                all.add(h);
            }
        }
        return all;
    }

    private void grow() {
        AtomicReferenceArray<AioHandle> old = slots;
        AtomicReferenceArray<AioHandle> grown = new AtomicReferenceArray<>(Math.min(old.length() * 2, SLOT_MASK + 1));
        for (int i = 0; i < old.length(); i++) {
            grown.set(i, old.get(i));
        }
        generations = java.util.Arrays.copyOf(generations, grown.length());
        slots = grown;
    }
}
