package dev.aioops.nio2.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Native blocks that heap {@link java.nio.ByteBuffer}s are copied through, since the kernel cannot reach the Java
 * heap: one process-wide pool, like the JDK's cache of temporary direct buffers. A block belongs to one operation
 * from {@link #acquire} until {@link Block#release}, which the operation's completion calls once the adapter has
 * given the memory back. Thread-safe, lock-free.
 */
final class BlockPool {

    /** The size of a pooled block: the most a socket transfer with a heap buffer moves at once. */
    static final int BLOCK_SIZE = 64 * 1024;

    /** Blocks kept for reuse; those released beyond it are freed. */
    private static final int RETAINED = 64;

    static final BlockPool SHARED = new BlockPool();

    private final ConcurrentLinkedDeque<Block> free = new ConcurrentLinkedDeque<>();
    private final AtomicInteger freeCount = new AtomicInteger();

    private BlockPool() {
    }

    /**
     * A block of at least {@code size} bytes: a pooled one up to {@link #BLOCK_SIZE}, else one of its own, freed at
     * release.
     *
     * @param size the bytes needed, {@code >= 0}
     * @return a block, owned by the caller until released
     */
    Block acquire(long size) {
        if (size > BLOCK_SIZE) {
            Arena arena = Arena.ofShared();
            return new Block(arena, arena.allocate(size, 4096), null);
        }
        Block b = free.pollFirst();
        if (b != null) {
            freeCount.decrementAndGet();
            return b;
        }
        Arena arena = Arena.ofShared();
        return new Block(arena, arena.allocate(BLOCK_SIZE, 4096), this);
    }

    private void release(Block b) {
        if (b.pool == null || freeCount.incrementAndGet() > RETAINED) {
            if (b.pool != null) {
                freeCount.decrementAndGet();
            }
            b.arena.close();
            return;
        }
        free.addFirst(b);
    }

    /** A native block and the arena that frees it. */
    static final class Block {
        private final Arena arena;
        private final MemorySegment memory;
        private final BlockPool pool;

        private Block(Arena arena, MemorySegment memory, BlockPool pool) {
            this.arena = arena;
            this.memory = memory;
            this.pool = pool;
        }

        MemorySegment memory() {
            return memory;
        }

        /** Gives the block back; called once, after the adapter has returned its memory. */
        void release() {
            if (pool != null) {
                pool.release(this);
            } else {
                arena.close();
            }
        }
    }
}
