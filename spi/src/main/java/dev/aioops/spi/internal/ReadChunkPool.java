package dev.aioops.spi.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The buffers of {@link ReadChunkStreams}: at most {@code count} shared ones plus one per running stream, so that
 * streams waiting for data with a posted read (each holding its read's buffer) never starve the others; the chunks
 * the library keeps occupy the rest. Streams that wait on readiness ({@link ReadinessWaits}) hold none while they
 * wait, so the pool then grows only to the chunks kept plus the one being read into. Allocated as needed, never
 * freed before the pool is unreachable. Synchronized: releases come from any thread, and the emulation is not the
 * fast path.
 */
final class ReadChunkPool {
    private static final int MAX = 1 << 16;
    private final int count;
    private final int size;
    private MemorySegment[] buffers = new MemorySegment[16];
    private int[] generation = new int[16];
    private long[] kept = new long[16];
    private int[] free = new int[16];
    private int top;
    private int allocated;
    private int streams;

    ReadChunkPool(int count, int size) {
        this.count = count;
        this.size = size;
    }

    synchronized void streamStarted() {
        streams++;
    }

    synchronized void streamEnded() {
        streams--;
    }

    synchronized int acquire() {
        if (top > 0) {
            return free[--top];
        }
        if (allocated >= Math.min(MAX, count + streams)) {
            return -1;
        }
        int i = allocated++;
        if (i == buffers.length) {
            buffers = Arrays.copyOf(buffers, i * 2);
            generation = Arrays.copyOf(generation, i * 2);
            kept = Arrays.copyOf(kept, i * 2);
            free = Arrays.copyOf(free, i * 2);
        }
        // Automatic: the adapters that emulate read through Java channels, or through a ring that keeps the
        // segment reachable until the kernel gave it back; and a released chunk may still be referenced.
        buffers[i] = Arena.ofAuto().allocate(size, 64);
        return i;
    }

    /** How many buffers were ever allocated, for tests of the memory an idle stream holds. */
    synchronized int allocated() {
        return allocated;
    }

    synchronized MemorySegment segment(int index) {
        return buffers[index];
    }

    synchronized void give(int index) {
        free[top++] = index;
    }

    /** Marks buffer {@code index} kept, returning the chunk's id. */
    synchronized long keep(int index) {
        int g = ++generation[index] & 0x7fff;
        long chunk = ((long) (g == 0 ? 1 : g) << 16) | index;
        kept[index] = chunk;
        return chunk;
    }

    synchronized void release(long chunk) {
        int index = (int) (chunk & 0xffff);
        if (chunk <= 0xffff || index >= allocated || kept[index] != chunk) {
            throw new IllegalStateException("chunk " + chunk + " is not kept: released twice, or never kept");
        }
        kept[index] = 0;
        give(index);
    }
}
