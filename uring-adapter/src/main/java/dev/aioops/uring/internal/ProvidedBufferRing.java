package dev.aioops.uring.internal;

import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A provided buffer ring ({@code IORING_REGISTER_PBUF_RING}, Linux 5.19) and its buffers, from which the kernel
 * picks where a multishot receive puts its data ({@link RingChunkStreams}). Incremental consumption
 * ({@code IOU_PBUF_RING_INC}, 6.12) is asked for first: then the kernel fills a buffer with the data of several
 * receives, each CQE saying with {@code IORING_CQE_F_BUF_MORE} whether it keeps the buffer for more; the data of
 * a CQE starts where the previous one's ended, which {@link #offset} tracks per buffer.
 *
 * <p>A buffer goes back into the ring when the kernel has let go of it (a CQE without {@code BUF_MORE}, or any CQE
 * without incremental consumption) and the library keeps no chunk of it ({@link #kept}, counted from any thread,
 * since releases come from any thread). Everything else is the loop's. The ring's memory and the buffers come from
 * the loop's arena, which lives until the ring is closed, so the kernel never writes into freed memory; closing the
 * ring drops the registration.
 */
final class ProvidedBufferRing {

    /** The buffer group id of the ring: any u16, one ring per io_uring. */
    static final int GROUP = 7;

    // The tail is a u16 the kernel reads with an acquire load: a release store publishes the entries before it.
    private static final VarHandle SHORT = JAVA_SHORT.varHandle();

    private final MemorySegment ring;
    private final MemorySegment slab;
    private final int entries;
    private final int size;
    private final boolean incremental;
    private final boolean[] inKernel;
    private final int[] offset;
    private final AtomicIntegerArray kept;
    /** Per buffer, bumped when it goes back into the ring: a chunk id names it, so a stale release is told apart. */
    private final AtomicIntegerArray generation;
    private int tail;
    private int queued;

    private ProvidedBufferRing(MemorySegment ring, MemorySegment slab, int entries, int size, boolean incremental) {
        this.ring = ring;
        this.slab = slab;
        this.entries = entries;
        this.size = size;
        this.incremental = incremental;
        this.inKernel = new boolean[entries];
        this.offset = new int[entries];
        this.kept = new AtomicIntegerArray(entries);
        this.generation = new AtomicIntegerArray(entries);
        for (int bid = 0; bid < entries; bid++) {
            add(bid);
        }
        publish();
    }

    /**
     * Registers a ring of {@code count} buffers of {@code size} bytes with {@code io_uring}; loop only.
     *
     * @param io          the ring
     * @param memory      the loop's arena
     * @param count       a power of two up to 32768
     * @param size        bytes per buffer
     * @param incremental whether to ask for incremental consumption first
     * @param result      receives the registration's {@code -errno} when it fails
     * @return the registered ring, or null when the kernel refused (see {@code result[0]})
     */
    static ProvidedBufferRing register(Ring io, Arena memory, int count, int size, boolean incremental,
                                       int[] result) {
        MemorySegment ringMemory = memory.allocate(count * UringLayout.BUF_SIZE, 4096);
        MemorySegment reg = memory.allocate(UringLayout.BUF_REG_SIZE, 8);
        reg.set(JAVA_LONG, UringLayout.BUF_REG_RING_ADDR, ringMemory.address());
        reg.set(JAVA_INT, UringLayout.BUF_REG_RING_ENTRIES, count);
        reg.set(JAVA_SHORT, UringLayout.BUF_REG_BGID, (short) GROUP);
        int res = -1;
        boolean inc = incremental;
        if (inc) {
            reg.set(JAVA_SHORT, UringLayout.BUF_REG_FLAGS, (short) UringLayout.PBUF_RING_INC);
            res = io.register(UringLayout.REGISTER_PBUF_RING, reg, 1);
        }
        if (!inc || res < 0) {
            // Before 6.12 the flag is unknown (EINVAL): the ring without it, a whole buffer per receive.
            inc = false;
            reg.set(JAVA_SHORT, UringLayout.BUF_REG_FLAGS, (short) 0);
            res = io.register(UringLayout.REGISTER_PBUF_RING, reg, 1);
        }
        if (res < 0) {
            result[0] = res;
            return null;
        }
        MemorySegment slab = memory.allocate((long) count * size, 4096);
        return new ProvidedBufferRing(ringMemory, slab, count, size, inc);
    }

    boolean incremental() {
        return incremental;
    }

    /** How many buffers the kernel may pick from now (incrementally consumed ones included). */
    int queued() {
        return queued;
    }

    private void add(int bid) {
        int g = (generation.get(bid) + 1) & 0xffff;
        // Written on the loop only; releases on other threads read it.
        generation.set(bid, g == 0 ? 1 : g);
        long at = (long) (tail & (entries - 1)) * UringLayout.BUF_SIZE;
        ring.set(JAVA_LONG, at + UringLayout.BUF_ADDR, slab.address() + (long) bid * size);
        ring.set(JAVA_INT, at + UringLayout.BUF_LEN, size);
        ring.set(JAVA_SHORT, at + UringLayout.BUF_BID, (short) bid);
        tail++;
        inKernel[bid] = true;
        offset[bid] = 0;
        queued++;
    }

    private void publish() {
        SHORT.setRelease(ring, UringLayout.BUF_RING_TAIL, (short) tail);
    }

    /**
     * The data of a CQE with {@code IORING_CQE_F_BUFFER}: takes note of what the kernel did with the buffer.
     *
     * @param cqeFlags the CQE's flags
     * @param length   its positive result
     * @return the bytes received, in the buffer
     */
    MemorySegment received(int cqeFlags, int length) {
        int bid = cqeFlags >>> UringLayout.CQE_BUFFER_SHIFT;
        long at = (long) bid * size;
        if (incremental) {
            at += offset[bid];
            offset[bid] += length;
        }
        if (!incremental || (cqeFlags & UringLayout.CQE_F_BUF_MORE) == 0) {
            inKernel[bid] = false;
            queued--;
        }
        return slab.asSlice(at, length);
    }

    /** A chunk id for a kept chunk of buffer {@code bid}, counted as kept. */
    long keep(int bid) {
        kept.incrementAndGet(bid);
        return ((long) generation.get(bid) << 16) | bid;
    }

    /** Undoes {@link #keep} for a chunk its handler did not keep. */
    void unkeep(int bid) {
        kept.decrementAndGet(bid);
    }

    /**
     * Releases a kept chunk; any thread.
     *
     * @return the chunk's buffer, for {@link #recycle} on the loop
     * @throws IllegalStateException if no chunk of that buffer is kept
     */
    int release(long chunk) {
        int bid = (int) (chunk & 0xffff);
        if (chunk <= 0xffff || chunk > 0xffff_ffffL || bid >= entries
                || generation.get(bid) != (int) (chunk >>> 16)) {
            throw new IllegalStateException("chunk " + chunk + " is not kept: released twice, or never kept");
        }
        while (true) {
            int k = kept.get(bid);
            if (k == 0) {
                throw new IllegalStateException("chunk " + chunk + " is not kept: released twice, or never kept");
            }
            if (kept.compareAndSet(bid, k, k - 1)) {
                return bid;
            }
        }
    }

    /** Puts buffer {@code bid} back into the ring if nobody holds it; loop only. Whether it did. */
    boolean recycle(int bid) {
        if (inKernel[bid] || kept.get(bid) != 0) {
            return false;
        }
        add(bid);
        publish();
        return true;
    }

    /** The buffer id of a CQE's flags. */
    static int bufferOf(int cqeFlags) {
        return cqeFlags >>> UringLayout.CQE_BUFFER_SHIFT;
    }
}
