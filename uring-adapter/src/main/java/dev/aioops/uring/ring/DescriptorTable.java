package dev.aioops.uring.ring;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The handles of the descriptors one ring owner opened (the io_uring adapter's loop, the Vert.x shared ring), made
 * so that a handle kept after its close cannot name the next file or socket the kernel gives the same number.
 *
 * <p><b>Packing.</b> A handle is {@code generation << 20 | fd}. The slot is the descriptor itself: the kernel
 * hands out the lowest free number, so slots stay dense and need no free list, and a lookup is one array load and
 * one compare. The generation, 1 to {@value #GENERATIONS} (11 bits), moves on each time a number is adopted
 * again, so the handle of a closed descriptor no longer matches its slot and is unknown ({@code -EBADF}), also
 * once the number has been reused. Handles are therefore never negative (bit 31 is clear, so results can be
 * {@code -errno}) and never equal to a bare descriptor (the generation is never 0): a descriptor number passed
 * as a handle is unknown too.
 *
 * <p><b>Limits.</b> Descriptors up to {@value #MAX_FD}, so at most 2<sup>20</sup> handles open at once (Linux's
 * default {@code fs.nr_open} caps {@code RLIMIT_NOFILE} at exactly that); a higher descriptor gets no handle
 * ({@link #newHandle} returns -1): its owner closes it and completes the open with {@code -EMFILE}. The
 * generation wraps around after {@value #GENERATIONS} adoptions of one number: a handle kept across that many
 * closes and reopens of its descriptor number names the then-current one again (a library that keeps a handle
 * after its close is wrong either way; this makes it fail loudly in all but that case). Each table starts its
 * generations at a different value: a handle of another instance is unknown here, since its descriptor is open
 * there and so in no other table, and once closed there and reopened here it matches only by that chance.
 *
 * <p><b>Threads.</b> The owner's loop adds and removes entries; any thread may look a handle up ({@link #get}).
 *
 * @param <E> the owner's entry type
 */
public class DescriptorTable<E extends DescriptorTable.Entry> {

    /** The largest descriptor that gets a handle: 20 bits. */
    public static final int MAX_FD = (1 << 20) - 1;
    /** The number of generations a descriptor number goes through before they repeat: 11 bits, 0 unused. */
    public static final int GENERATIONS = (1 << 11) - 1;
    private static final int FD_BITS = 20;
    private static final AtomicInteger TABLES = new AtomicInteger();
    private static final VarHandle ELEMENTS = MethodHandles.arrayElementVarHandle(Entry[].class);

    /** One open descriptor and its handle; the owner's subclass adds what it tracks per descriptor. */
    public abstract static class Entry {
        /** The descriptor: for the kernel only, never handed out as a handle. */
        public final int fd;
        /** The handle of this descriptor, {@code generation << 20 | fd}. */
        public final int handle;

        /**
         * An entry for a descriptor.
         *
         * @param fd     the descriptor
         * @param handle what {@link #newHandle(int)} gave for it
         */
        protected Entry(int fd, int handle) {
            this.fd = fd;
            this.handle = handle;
        }
    }

    /** Indexed by descriptor. Replaced (grown) by the loop with a volatile write; elements set with release. */
    private volatile Entry[] entries = new Entry[64];
    /** Loop only: the generation each descriptor number had last, 0 for never. */
    private int[] generations = new int[64];
    private int count;
    /** Spread by a multiplier prime to {@link #GENERATIONS}: 2,047 tables in a row all start elsewhere. */
    private final int firstGeneration =
            (int) Math.floorMod(TABLES.getAndIncrement() * 0x61C8_8647L, (long) GENERATIONS) + 1;

    /** An empty table. */
    public DescriptorTable() {
    }

    /**
     * Loop: the handle for a descriptor the owner has just opened (not in the table): its number with the next
     * generation of that number. Publish it with {@link #put}.
     *
     * @param fd a descriptor {@code >= 0}
     * @return the handle, or -1 when {@code fd > MAX_FD} (then close it and report {@code -EMFILE})
     */
    public final int newHandle(int fd) {
        if (fd < 0 || fd > MAX_FD) {
            return -1;
        }
        if (fd >= generations.length) {
            generations = Arrays.copyOf(generations, Math.max(generations.length * 2, fd + 1));
        }
        int last = generations[fd];
        int generation = last == 0 ? firstGeneration : last % GENERATIONS + 1;
        generations[fd] = generation;
        return generation << FD_BITS | fd;
    }

    /**
     * Loop: publishes an entry under its handle, from now on found by {@link #get}.
     *
     * @param entry an entry whose handle came from {@link #newHandle}, its descriptor not in the table
     * @return {@code entry}
     */
    public final E put(E entry) {
        Entry[] a = entries;
        if (entry.fd >= a.length) {
            a = Arrays.copyOf(a, Math.max(a.length * 2, entry.fd + 1));
            entries = a;
        }
        // Release: a thread that finds the entry sees its final fields.
        ELEMENTS.setRelease(a, entry.fd, entry);
        count++;
        return entry;
    }

    /**
     * Any thread: the open entry of a handle: one array load and a compare of the whole handle.
     *
     * @param handle a handle
     * @return its entry, or null for a handle that is unknown, stale (closed, its number maybe reused), of another
     *         table, negative, or a bare descriptor
     */
    @SuppressWarnings("unchecked")
    public final E get(int handle) {
        Entry[] a = entries;
        int fd = handle & MAX_FD;
        if (handle < 0 || fd >= a.length) {
            return null;
        }
        Entry e = (Entry) ELEMENTS.getAcquire(a, fd);
        return e != null && e.handle == handle ? (E) e : null;
    }

    /**
     * Loop: takes a handle out of the table; it is unknown from now on. Call it before closing the descriptor,
     * whose number the kernel may then give to the next open.
     *
     * @param handle a handle
     * @return its entry, or null if it was not open
     */
    public final E remove(int handle) {
        E e = get(handle);
        if (e != null) {
            ELEMENTS.setRelease(entries, e.fd, (Entry) null);
            count--;
        }
        return e;
    }

    /**
     * Loop: how many handles are open.
     *
     * @return the count
     */
    public final int size() {
        return count;
    }

    /**
     * Loop: visits every open entry, in descriptor order; the action may remove the entry it is given.
     *
     * @param action what to do with each
     */
    @SuppressWarnings("unchecked")
    public final void forEach(Consumer<? super E> action) {
        Entry[] a = entries;
        for (int fd = 0; fd < a.length; fd++) {
            Entry e = a[fd];
            if (e != null) {
                action.accept((E) e);
            }
        }
    }

    /**
     * Loop: the open entries.
     *
     * @return a snapshot
     */
    public final List<E> entries() {
        List<E> all = new ArrayList<>(count);
        forEach(all::add);
        return all;
    }

    /** Loop: forgets every entry (closing the descriptors is the owner's business). */
    public final void clear() {
        Entry[] a = entries;
        for (int fd = 0; fd < a.length; fd++) {
            if (a[fd] != null) {
                ELEMENTS.setRelease(a, fd, (Entry) null);
            }
        }
        count = 0;
    }
}
