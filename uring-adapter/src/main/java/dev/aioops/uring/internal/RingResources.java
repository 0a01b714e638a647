package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.internal.SlabBufferPool;
import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The ring of one instance and the memory the kernel reads or writes through it (the buffer pool, the op slots'
 * scratch, the wake-up read's buffer: one shared arena), set up together and freed together once the kernel holds
 * none of it; and the ring-wide registrations (the pool's buffers, the io-wq worker caps, enabling a ring set up
 * disabled). Loop thread after construction, except {@link #pool()}.
 */
final class RingResources {

    private static final System.Logger LOG = System.getLogger("dev.aioops");
    /** Memory a native call still used at close: kept reachable forever rather than freed under it. */
    private static final Queue<Object> LEAKED = new ConcurrentLinkedQueue<>();

    private final Ring ring;
    private final Arena memory;
    private final SlabBufferPool pool;
    private final boolean buffersRegistered;

    /**
     * Allocates the pool and registers it with the ring when the kernel has the {@code *_FIXED} opcodes.
     *
     * @param ring      the ring, owned from now on (closed here if this fails)
     * @param config    the pool's size
     * @param supported the kernel's opcodes
     */
    RingResources(Ring ring, AioConfig config, OpcodeSupport supported) {
        this.ring = ring;
        this.memory = Arena.ofShared();
        boolean ok = false;
        try {
            this.pool = new SlabBufferPool(memory, config.bufferCount(), config.bufferSize());
            this.buffersRegistered = supported.has(UringLayout.OP_READ_FIXED)
                    && supported.has(UringLayout.OP_WRITE_FIXED) && registerBuffers();
            ok = true;
        } finally {
            if (!ok) {
                abandon();
            }
        }
    }

    private boolean registerBuffers() {
        if (pool.capacity() == 0) {
            return false;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment iov = a.allocate(UringLayout.IOVEC_SIZE, 8);
            iov.set(JAVA_LONG, UringLayout.IOVEC_BASE, pool.slab().address());
            iov.set(JAVA_LONG, UringLayout.IOVEC_LEN, pool.slab().byteSize());
            int r = ring.register(UringLayout.REGISTER_BUFFERS, iov, 1);
            if (r < 0) {
                LOG.log(System.Logger.Level.INFO, UringAvailability.unregisteredBuffers(-r, pool.slab().byteSize()));
            }
            return r >= 0;
        }
    }

    /** The ring. */
    Ring ring() {
        return ring;
    }

    /** The arena of everything the kernel may touch; freed by {@link #free}. */
    Arena memory() {
        return memory;
    }

    /** Any thread: the buffer pool. */
    SlabBufferPool pool() {
        return pool;
    }

    /** Whether the pool is registered with the ring (its buffers then go with the {@code *_FIXED} opcodes). */
    boolean buffersRegistered() {
        return buffersRegistered;
    }

    /** Loop: a ring set up disabled ({@code R_DISABLED}) becomes usable, and with SINGLE_ISSUER ours. */
    void enable() {
        if ((ring.setupFlags() & UringLayout.SETUP_R_DISABLED) != 0) {
            int r = ring.register(UringLayout.REGISTER_ENABLE_RINGS, MemorySegment.NULL, 0);
            if (r < 0) {
                throw new UringException(-r, "io_uring_register(ENABLE_RINGS)");
            }
        }
    }

    /**
     * Caps the kernel's io-wq workers of both classes ({@code IORING_REGISTER_IOWQ_MAX_WORKERS}).
     *
     * @param max the cap, or 0 to leave it unchanged
     * @return the caps before the call, bounded then unbounded; {-1, -1} if the kernel refused
     */
    int[] limitKernelWorkers(int max) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment workers = a.allocate(JAVA_INT, 2);
            workers.set(JAVA_INT, 0, max);
            workers.set(JAVA_INT, 4, max);
            if (ring.register(UringLayout.REGISTER_IOWQ_MAX_WORKERS, workers, 2) < 0) {
                return new int[]{-1, -1};
            }
            return new int[]{workers.get(JAVA_INT, 0), workers.get(JAVA_INT, 4)};
        }
    }

    /**
     * Loop, once the kernel holds none of it: drops the registrations, closes the ring and the eventfds, and frees
     * the memory (or leaks it, with a warning, if a thread is inside a native call with a pool buffer).
     */
    void free(LoopWakeup wakeup) {
        if (buffersRegistered) {
            ring.register(UringLayout.UNREGISTER_BUFFERS, MemorySegment.NULL, 0);
        }
        wakeup.unregister(ring);
        ring.close();
        wakeup.close();
        try {
            memory.close();
        } catch (IllegalStateException stillInUse) {
            LEAKED.add(memory);
            LOG.log(System.Logger.Level.WARNING, "uring: buffer memory still in use by a native call at "
                    + "close; leaked rather than freed", stillInUse);
        }
    }

    /** Setup failed before the ring was ever used: closes it and frees the memory at once. */
    void abandon() {
        ring.close();
        memory.close();
    }
}
