package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.internal.LoopCounters;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The operations in flight, in preallocated slots reused through a free list, so that submitting and completing
 * allocate nothing. A slot's user_data (and the caller's token) is {@code generation << 32 | index}; the
 * generation changes on every reuse, so a stale token or cancel never matches a newer operation. Each slot has
 * 32 bytes of native scratch memory (a timespec, a sockaddr) that stays valid until the slot is freed, which is
 * after its CQE. Loop thread only.
 */
final class OpSlots {

    static final byte FREE = 0;
    static final byte READ = 1;
    static final byte WRITE = 2;
    /** An operation on one open descriptor with no follow-up: fsync, fdatasync, ftruncate, fallocate, fstat. */
    static final byte FSYNC = 3;
    static final byte OPEN = 4;
    static final byte ACCEPT = 5;
    static final byte CONNECT = 6;
    static final byte TIMEOUT = 7;
    static final byte CLOSE = 8;
    /** A listen in steps through the ring (socket, bind, listen), its state in {@code keep}. */
    static final byte LISTEN = 9;
    /**
     * A file-system operation on a path (stat, unlink, rename, mkdir): its C strings in the {@link PathMemory} in
     * {@code keep}; a rename's second directory, pinned like the first, in {@code aux}.
     */
    static final byte PATH = 10;
    /**
     * A datagram's send or receive ({@link RingDatagramOperations}): its {@code msghdr} in that class's memory for
     * the slot, its {@code AioSocketAddress} pinned there until the CQE.
     */
    static final byte DATAGRAM = 11;
    /**
     * A zero-copy send ({@link RingSendFiles}): its {@code SpliceSend} in {@code keep}, the socket in {@code fd}, the
     * file, pinned like the socket, in {@code aux}; one request in the ring at a time under the slot's token.
     */
    static final byte SENDFILE = 12;
    /**
     * A receive stream ({@link RingChunkStreams}): a multishot recv, or its park, under the slot's token for the
     * stream's whole life; its {@code RingChunkStreams.Stream} in {@code keep}.
     */
    static final byte RECV_STREAM = 13;
    /** An accept stream ({@link RingAcceptStreams}): a multishot accept under the slot's token for its life. */
    static final byte ACCEPT_STREAM = 14;

    /** An IP sockaddr or a timeout's timespec. */
    static final long SCRATCH_SIZE = 32;
    private static final int CHUNK_SHIFT = 10;
    private static final int CHUNK = 1 << CHUNK_SHIFT;

    private final Arena arena;
    byte[] kind;
    /** The handle whose in-flight count the op holds, or -1. */
    int[] handle;
    /** The new socket of a connect. */
    int[] aux;
    int[] gen;
    Object[] attachment;
    AioCompletion<Object>[] completion;
    /** Keeps the buffer (or the path's arena) reachable until the CQE. */
    Object[] keep;
    /** The token a non-loop thread was given, or 0. */
    long[] remoteToken;
    /** Whether a cancel of this op was submitted. */
    boolean[] cancelled;
    /** Whether the op has a deadline ({@link RingDeadlines}). */
    boolean[] deadline;
    private int[] next;
    private MemorySegment[] scratch;
    private int freeHead = -1;
    private int capacity;
    private int inFlight;
    /** What the loop counts for AioStats ({@link UringStats}); loop thread only. */
    final LoopCounters counters = new LoopCounters();

    OpSlots(Arena arena, int initial) {
        this.arena = arena;
        this.kind = new byte[0];
        this.handle = new int[0];
        this.aux = new int[0];
        this.gen = new int[0];
        this.attachment = new Object[0];
        this.completion = newCompletions(0);
        this.keep = new Object[0];
        this.remoteToken = new long[0];
        this.cancelled = new boolean[0];
        this.deadline = new boolean[0];
        this.next = new int[0];
        this.scratch = new MemorySegment[0];
        grow(Math.max(CHUNK, initial));
    }

    @SuppressWarnings("unchecked")
    private static AioCompletion<Object>[] newCompletions(int n) {
        return (AioCompletion<Object>[]) new AioCompletion<?>[n];
    }

    private void grow(int newCapacity) {
        newCapacity = (newCapacity + CHUNK - 1) & -CHUNK;
        int old = capacity;
        kind = Arrays.copyOf(kind, newCapacity);
        handle = Arrays.copyOf(handle, newCapacity);
        aux = Arrays.copyOf(aux, newCapacity);
        gen = Arrays.copyOf(gen, newCapacity);
        attachment = Arrays.copyOf(attachment, newCapacity);
        completion = Arrays.copyOf(completion, newCapacity);
        keep = Arrays.copyOf(keep, newCapacity);
        remoteToken = Arrays.copyOf(remoteToken, newCapacity);
        cancelled = Arrays.copyOf(cancelled, newCapacity);
        deadline = Arrays.copyOf(deadline, newCapacity);
        next = Arrays.copyOf(next, newCapacity);
        scratch = Arrays.copyOf(scratch, newCapacity >>> CHUNK_SHIFT);
        for (int c = old >>> CHUNK_SHIFT; c < scratch.length; c++) {
            // Never freed before the instance: the kernel may hold pointers into it until every CQE arrived.
            scratch[c] = arena.allocate(SCRATCH_SIZE * CHUNK, 8);
        }
        for (int i = newCapacity - 1; i >= old; i--) {
            next[i] = freeHead;
            freeHead = i;
        }
        capacity = newCapacity;
    }

    /** Takes a free slot for an op of {@code k}. */
    int alloc(byte k, int handleOfOp, Object att, AioCompletion<Object> c, Object keepAlive) {
        if (freeHead < 0) {
            grow(capacity * 2);
        }
        int s = freeHead;
        freeHead = next[s];
        int g = gen[s] + 1;
        gen[s] = g <= 0 ? 1 : g;
        kind[s] = k;
        handle[s] = handleOfOp;
        aux[s] = -1;
        attachment[s] = att;
        completion[s] = c;
        keep[s] = keepAlive;
        cancelled[s] = false;
        deadline[s] = false;
        inFlight++;
        counters.submitted();
        return s;
    }

    /** Returns a slot to the free list, dropping its references. */
    void free(int s) {
        kind[s] = FREE;
        attachment[s] = null;
        completion[s] = null;
        keep[s] = null;
        remoteToken[s] = 0;
        next[s] = freeHead;
        freeHead = s;
        inFlight--;
    }

    long token(int s) {
        return ((long) gen[s] << 32) | s;
    }

    /** The slot of a token or user_data, or -1 when it names no live op. */
    int slotOf(long token) {
        if (token <= 0xffff_ffffL) {
            return -1;
        }
        int s = (int) token;
        int g = (int) (token >>> 32);
        return s >= 0 && s < capacity && gen[s] == g && kind[s] != FREE ? s : -1;
    }

    MemorySegment scratchChunk(int s) {
        return scratch[s >>> CHUNK_SHIFT];
    }

    long scratchOffset(int s) {
        return SCRATCH_SIZE * (s & (CHUNK - 1));
    }

    int capacity() {
        return capacity;
    }

    int inFlight() {
        return inFlight;
    }
}
