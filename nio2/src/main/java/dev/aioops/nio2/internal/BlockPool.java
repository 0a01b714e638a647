package dev.aioops.nio2.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Native blocks that heap {@link java.nio.ByteBuffer}s are copied through, since the kernel cannot reach the Java
 * heap: one process-wide pool, like the JDK's cache of temporary direct buffers. A block belongs to one operation
 * from {@link #acquire} until {@link Block#release}, which the operation's completion calls once the adapter has
 * given the memory back. Thread-safe, lock-free.
 *
 * <p>Blocks come in three sizes (4, 16 and 64 KiB) and are kept once made: the pool holds as many as were ever in
 * use at once (a pending socket read holds one while it waits), and a block is never freed, since freeing the memory
 * of a shared arena costs a handshake with every thread. A block above 64 KiB (a file transfer of a large heap
 * buffer) has an arena of its own, freed at release.
 */
final class BlockPool {

    /** The largest pooled block: the most a socket transfer with a heap buffer moves at once. */
    static final int BLOCK_SIZE = 64 * 1024;

    private static final int[] SIZES = {4 * 1024, 16 * 1024, BLOCK_SIZE};

    static final BlockPool SHARED = new BlockPool();

    private final List<ConcurrentLinkedQueue<Block>> free = List.of(new ConcurrentLinkedQueue<>(),
            new ConcurrentLinkedQueue<>(), new ConcurrentLinkedQueue<>());

    private BlockPool() {
    }

    /**
     * A block of at least {@code size} bytes.
     *
     * @param size the bytes needed, {@code >= 0}
     * @return a block, owned by the caller until released
     */
    Block acquire(long size) {
        for (int i = 0; i < SIZES.length; i++) {
            if (size <= SIZES[i]) {
                Block b = free.get(i).poll();
                if (b == null) {
                    // Pooled blocks live as long as the process: the global arena, never freed.
                    b = new Block(null, Arena.global().allocate(SIZES[i], 4096), free.get(i));
                }
                return b;
            }
        }
        Arena arena = Arena.ofShared();
        return new Block(arena, arena.allocate(size, 4096), null);
    }

    /** A native block and where it goes back to. */
    static final class Block {
        private final Arena own;
        private final MemorySegment memory;
        private final ConcurrentLinkedQueue<Block> home;

        private Block(Arena own, MemorySegment memory, ConcurrentLinkedQueue<Block> home) {
            this.own = own;
            this.memory = memory;
            this.home = home;
        }

        MemorySegment memory() {
            return memory;
        }

        /** Gives the block back; called once, after the adapter has returned its memory. */
        void release() {
            if (home != null) {
                home.offer(this);
            } else {
                own.close();
            }
        }
    }
}
