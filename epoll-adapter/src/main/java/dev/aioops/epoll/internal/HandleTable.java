package dev.aioops.epoll.internal;

import dev.aioops.spi.AioErrno;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Handles as table slots: a handle is {@code generation << 20 | slot}, so a slot is reused with a new
 * generation and a stale handle no longer matches (it completes with {@code -EBADF}). The loop adds and
 * removes; any thread may look up (for {@code signal} and {@code localAddress}).
 */
final class HandleTable {

    private static final int SLOT_BITS = 20;
    private static final int SLOT_MASK = (1 << SLOT_BITS) - 1;
    private static final int MAX_GENERATION = (1 << (31 - SLOT_BITS)) - 1;
    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Resource[].class);

    /** Replaced only by the loop, after copying; other threads read it and then an element with acquire. */
    private volatile Resource[] slots = new Resource[64];
    private int[] generations = new int[64];
    private int[] free = new int[64];
    private int freeCount;
    private int highWater;
    private int size;
    /** The generation a slot starts with; differs between instances so that their handles rarely coincide. */
    private final int firstGeneration;

    /**
     * An empty table.
     *
     * @param salt varies the first generation, so that a handle of another instance is most likely unknown here
     */
    HandleTable(int salt) {
        this.firstGeneration = Math.floorMod(salt * 0x61C88647, MAX_GENERATION) + 1;
    }

    /**
     * Loop: publishes a resource under a new handle.
     *
     * @param resource the resource
     * @return the handle, or -1 when the table is full
     */
    int add(Resource resource) {
        int slot;
        if (freeCount > 0) {
            slot = free[--freeCount];
        } else {
            if (highWater > SLOT_MASK) {
                return -1;
            }
            slot = highWater++;
            if (slot == slots.length) {
                grow();
            }
        }
        int generation = generations[slot] == 0 ? firstGeneration : generations[slot] % MAX_GENERATION + 1;
        generations[slot] = generation;
        resource.handle = generation << SLOT_BITS | slot;
        // Release: a thread that reads the resource from the table sees its handle and fields.
        SLOTS.setRelease(slots, slot, resource);
        size++;
        return resource.handle;
    }

    /**
     * The result of an operation that makes a handle.
     *
     * @param handle what {@link #add} returned
     * @return the handle, or {@code -EMFILE} when the table was full
     */
    static int resultOf(int handle) {
        return handle < 0 ? -AioErrno.EMFILE : handle;
    }

    /**
     * Any thread: the open resource of a handle.
     *
     * @param handle a handle
     * @return the resource, or null for an unknown or closed handle
     */
    Resource get(int handle) {
        if (handle < 0) {
            return null;
        }
        Resource[] table = slots;
        int slot = handle & SLOT_MASK;
        if (slot >= table.length) {
            return null;
        }
        Resource r = (Resource) SLOTS.getAcquire(table, slot);
        return r != null && r.handle == handle ? r : null;
    }

    /**
     * Loop: takes a handle out of the table; it is unknown from now on.
     *
     * @param handle a handle
     * @return its resource, or null if it was not open
     */
    Resource remove(int handle) {
        Resource r = get(handle);
        if (r == null) {
            return null;
        }
        int slot = handle & SLOT_MASK;
        SLOTS.setRelease(slots, slot, null);
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
        size--;
        return r;
    }

    /**
     * Loop: every open resource.
     *
     * @return a snapshot
     */
    List<Resource> all() {
        List<Resource> all = new ArrayList<>(size);
        Resource[] table = slots;
        for (int i = 0; i < highWater && i < table.length; i++) {
            Resource r = (Resource) SLOTS.getAcquire(table, i);
            if (r != null) {
                all.add(r);
            }
        }
        return all;
    }

    private void grow() {
        Resource[] bigger = Arrays.copyOf(slots, slots.length * 2);
        generations = Arrays.copyOf(generations, bigger.length);
        slots = bigger;
    }
}
