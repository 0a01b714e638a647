package dev.aioops.spi.internal;

import dev.aioops.spi.AioAcceptHandler;
import dev.aioops.spi.AioChunkHandler;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;

import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@link dev.aioops.spi.AioReceiveOperations} emulated with the adapter's own operations, for every adapter
 * without a kernel-backed buffer ring. With the adapter's {@link ReadinessWaits} (epoll), a stream waits for
 * readiness holding no buffer, then takes one of the pool and reads at once ({@link ReadinessWaits#readNow}): bytes
 * go to its handler and it reads again in a task of the loop (other streams run between chunks); nothing (spurious
 * readiness) gives the buffer back and waits again. Without it (Vert.x, io_uring without a buffer ring) each stream
 * posts one {@link AioOperations#read} at a time into a buffer of the pool, holding it while it waits, hands the
 * bytes to its handler, and reads again. The pool has at most {@code count} buffers plus one per running stream.
 * When every buffer is kept by the library a stream parks on a {@link AioOperations#timeout}, which a release
 * cancels (and which the instance's close cancels too, so that a parked stream still ends exactly once); while
 * parked it retries every {@link #PARK_NANOS}. A handle closed while its stream is parked ends the stream when a buffer comes back (its
 * next read fails), not at once.
 *
 * <p>Accept streams ({@link dev.aioops.spi.AioReceiveOperations#acceptStream}) are emulated here too, with one
 * {@link AioOperations#accept} at a time, sharing the token space.
 *
 * <p>Tokens of streams are {@code tokenBase | id}, in a range the adapter never gives its own operations; the
 * adapter's {@code cancel} hands such tokens here ({@link #owns}). Handler callbacks run on the loop, as the
 * completions of the reads do. Releases may come from any thread.
 */
public final class ReadChunkStreams {

    /** A token base for adapters whose own tokens are all positive. */
    public static final long NEGATIVE_TOKENS = 0xC000_0000_0000_0000L;
    /** A token base for the io_uring adapter, whose tokens never fall from 2<sup>31</sup> to 2<sup>32</sup>. */
    public static final long URING_TOKENS = 0x8000_0000L;

    private static final long PARK_NANOS = 50_000_000L;
    private static final int ID_BITS = 30;
    private static final long ID_MASK = (1L << ID_BITS) - 1;

    private final AioOperations ops;
    /** The adapter's readiness of sockets, or null: then a waiting stream holds its posted read's buffer. */
    private final ReadinessWaits readiness;
    private final long tokenBase;
    private final int count;
    private final int size;
    private final Consumer<Throwable> errors;
    private final Map<Long, EmulatedStream> streams = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    /** Loop only: streams waiting for a buffer. */
    private final ArrayDeque<Stream> parked = new ArrayDeque<>();
    private final AtomicInteger parkedCount = new AtomicInteger();
    private volatile ReadChunkPool pool;

    /**
     * Streams of {@code ops}, whose buffers are allocated at the first stream.
     *
     * @param ops       the adapter whose reads, timeouts and loop the streams use
     * @param tokenBase the high bits of stream tokens: a range in which the adapter gives no token of its own
     * @param count     how many buffers, {@link dev.aioops.spi.AioConfig#receiveBufferCount()}
     * @param size      their size, {@link dev.aioops.spi.AioConfig#receiveBufferSize()}
     * @param errors    where a throwing handler is reported
     */
    public ReadChunkStreams(AioOperations ops, long tokenBase, int count, int size, Consumer<Throwable> errors) {
        this(ops, null, tokenBase, count, size, errors);
    }

    /**
     * Streams of {@code ops} that wait for data on {@code readiness}, holding no buffer while they wait.
     *
     * @param ops       the adapter whose reads, timeouts and loop the streams use
     * @param readiness the adapter's readiness of its sockets; null for none (a waiting stream holds a buffer)
     * @param tokenBase the high bits of stream tokens: a range in which the adapter gives no token of its own
     * @param count     how many buffers, {@link dev.aioops.spi.AioConfig#receiveBufferCount()}
     * @param size      their size, {@link dev.aioops.spi.AioConfig#receiveBufferSize()}
     * @param errors    where a throwing handler is reported
     */
    public ReadChunkStreams(AioOperations ops, ReadinessWaits readiness, long tokenBase, int count, int size,
                            Consumer<Throwable> errors) {
        this.ops = ops;
        this.readiness = readiness;
        this.tokenBase = tokenBase;
        this.count = count;
        this.size = size;
        this.errors = errors;
    }

    /**
     * Whether {@code token} names a stream of this instance rather than an operation of the adapter.
     *
     * @param token a token given to the caller
     * @return whether it is a stream's
     */
    public boolean owns(long token) {
        return (token & ~ID_MASK) == tokenBase && (token & ID_MASK) != 0;
    }

    /**
     * {@link dev.aioops.spi.AioReceiveOperations#receiveChunks}.
     *
     * @param handle     the socket
     * @param attachment handed back
     * @param handler    the callbacks
     * @return the stream's token
     */
    @SuppressWarnings("unchecked")
    public long start(int handle, Object attachment, AioChunkHandler<?> handler) {
        Objects.requireNonNull(handler, "handler");
        long token = nextToken();
        Stream s = new Stream(token, handle, attachment, (AioChunkHandler<Object>) handler);
        streams.put(token, s);
        pool().streamStarted();
        if (ops.inLoop()) {
            s.next();
        } else {
            try {
                s.startRemote();
            } catch (RuntimeException e) {
                streams.remove(token);
                pool.streamEnded();
                throw e;
            }
        }
        return token;
    }

    /**
     * How many buffers the pool has allocated so far (it never frees one before it is unreachable); any thread.
     * With readiness, idle streams add none.
     *
     * @return the count, 0 before the first stream
     */
    public int allocatedBuffers() {
        ReadChunkPool p = pool;
        return p == null ? 0 : p.allocated();
    }

    private long nextToken() {
        long id = ids.incrementAndGet() & ID_MASK;
        if (id == 0) {
            id = ids.incrementAndGet() & ID_MASK;
        }
        return tokenBase | id;
    }

    /**
     * {@link dev.aioops.spi.AioReceiveOperations#acceptStream}, one {@link AioOperations#accept} at a time.
     *
     * @param listenHandle the listener
     * @param attachment   handed back
     * @param handler      the callbacks
     * @return the stream's token
     */
    @SuppressWarnings("unchecked")
    public long startAccepting(int listenHandle, Object attachment, AioAcceptHandler<?> handler) {
        Objects.requireNonNull(handler, "handler");
        long token = nextToken();
        AcceptStream s = new AcceptStream(token, listenHandle, attachment, (AioAcceptHandler<Object>) handler);
        streams.put(token, s);
        try {
            // From the calling thread: the accept reaches the adapter before anything the caller submits next.
            s.op = ops.accept(listenHandle, null, s);
        } catch (RuntimeException e) {
            streams.remove(token);
            throw e;
        }
        if (s.cancelled) {
            ops.cancel(s.op);
        }
        return token;
    }

    /**
     * Cancels the stream of {@code token}, if it still runs; any thread.
     *
     * @param token the stream's token
     */
    public void cancel(long token) {
        EmulatedStream s = streams.get(token);
        if (s == null) {
            return;
        }
        if (ops.inLoop()) {
            s.cancel();
        } else {
            try {
                ops.execute(s::cancel);
            } catch (IllegalStateException closed) {
                // The instance is closing: its close cancels the stream's read or park.
            }
        }
    }

    /**
     * {@link dev.aioops.spi.AioReceiveOperations#releaseChunk}; any thread.
     *
     * @param chunk the chunk's id
     */
    public void release(long chunk) {
        ReadChunkPool p = pool;
        if (p == null) {
            throw new IllegalStateException("chunk " + chunk + " is not kept: no stream ever received");
        }
        p.release(chunk);
        if (parkedCount.get() > 0) {
            if (ops.inLoop()) {
                wakeOne();
            } else {
                try {
                    ops.execute(this::wakeOne);
                } catch (IllegalStateException closed) {
                    // Closed: the parked streams' timeouts were cancelled by the close.
                }
            }
        }
    }

    private void wakeOne() {
        Stream s = parked.poll();
        if (s != null) {
            parkedCount.decrementAndGet();
            s.woken = true;
            ops.cancel(s.op);
        }
    }

    private ReadChunkPool pool() {
        ReadChunkPool p = pool;
        if (p == null) {
            synchronized (this) {
                p = pool;
                if (p == null) {
                    pool = p = new ReadChunkPool(count, size);
                }
            }
        }
        return p;
    }

    /** What both kinds of stream share: the operation in flight, the cancel that ends it, and the end, once. */
    private abstract class EmulatedStream implements AioCompletion<Object> {
        final long token;
        final Object attachment;
        /** The operation in flight; volatile for a stream started on another thread. */
        volatile long op;
        volatile boolean cancelled;
        boolean ended;

        EmulatedStream(long token, Object attachment) {
            this.token = token;
            this.attachment = attachment;
        }

        /** Loop: cancels the operation in flight, whose completion then ends the stream. */
        final void cancel() {
            if (!ended && !cancelled) {
                cancelled = true;
                ops.cancel(op);
            }
        }

        /** Loop: ends the stream once, forgetting it and telling its handler. */
        final void end(int result) {
            if (ended) {
                return;
            }
            ended = true;
            streams.remove(token);
            onEnd();
            try {
                tellEnd(result);
            } catch (Throwable t) {
                errors.accept(t);
            }
        }

        /** Gives back what the stream holds beyond its entry; nothing by default. */
        void onEnd() {
        }

        /** Calls the handler's {@code end}. */
        abstract void tellEnd(int result);
    }

    /** One accept stream; loop only after its first accept. */
    private final class AcceptStream extends EmulatedStream {
        private final int listener;
        private final AioAcceptHandler<Object> handler;
        private boolean acceptedOnce;

        AcceptStream(long token, int listener, Object attachment, AioAcceptHandler<Object> handler) {
            super(token, attachment);
            this.listener = listener;
            this.handler = handler;
        }

        @Override
        public void completed(int result, Object ignored) {
            if (result >= 0) {
                acceptedOnce = true;
                try {
                    handler.accepted(attachment, result);
                } catch (Throwable t) {
                    errors.accept(t);
                }
            } else if (result != -AioErrno.ECONNABORTED) {
                end(result == -AioErrno.EBADF && acceptedOnce ? -AioErrno.ECANCELED : result);
                return;
            }
            if (cancelled) {
                end(-AioErrno.ECANCELED);
                return;
            }
            try {
                op = ops.accept(listener, null, this);
            } catch (IllegalStateException closed) {
                end(-AioErrno.ECANCELED);
            }
        }

        @Override
        void tellEnd(int result) {
            handler.end(result, attachment);
        }
    }

    /** One stream; loop only after its start. */
    private final class Stream extends EmulatedStream {
        private final int handle;
        private final AioChunkHandler<Object> handler;
        private int buffer = -1;
        /** Whether the operation in flight is a park (a timeout) rather than a read. */
        private boolean parking;
        private boolean woken;
        private boolean readOnce;
        /** Whether the operation in flight is a readiness wait, which holds no buffer. */
        private boolean waiting;
        /** Whether the stream waits on readiness: the adapter offers it and the handle is a socket it serves. */
        private boolean onReadiness = readiness != null;
        private final Runnable readAgainTask = this::readAgain;

        Stream(long token, int handle, Object attachment, AioChunkHandler<Object> handler) {
            super(token, attachment);
            this.handle = handle;
            this.handler = handler;
        }

        /**
         * The first read or readiness wait, submitted from the calling thread so that it reaches the adapter before
         * anything the caller submits next (a close of the handle must find it in flight).
         */
        void startRemote() {
            if (onReadiness) {
                waiting = true;
                op = readiness.awaitReadable(handle, this);
                if (cancelled) {
                    ops.cancel(op);
                }
                return;
            }
            ReadChunkPool p = pool();
            int b = p.acquire();
            if (b < 0) {
                ops.execute(this::next);
                return;
            }
            buffer = b;
            try {
                op = ops.read(handle, p.segment(b), AioOperations.STREAM, null, this);
            } catch (RuntimeException e) {
                p.give(b);
                throw e;
            }
            if (cancelled) {
                // A cancel that ran on the loop before the token was known.
                ops.cancel(op);
            }
        }

        void next() {
            try {
                submitNext();
            } catch (IllegalStateException closed) {
                closing();
            }
        }

        /** The instance closes: it takes no more submissions, and this stream has nothing in flight. */
        private void closing() {
            if (buffer >= 0) {
                pool.give(buffer);
                buffer = -1;
            }
            if (parked.remove(this)) {
                parkedCount.decrementAndGet();
            }
            end(-AioErrno.ECANCELED);
        }

        private void submitNext() {
            if (cancelled) {
                end(-AioErrno.ECANCELED);
                return;
            }
            parking = false;
            if (onReadiness) {
                waiting = true;
                op = readiness.awaitReadable(handle, this);
                return;
            }
            ReadChunkPool p = pool();
            buffer = p.acquire();
            if (buffer < 0) {
                park();
                return;
            }
            op = ops.read(handle, p.segment(buffer), AioOperations.STREAM, null, this);
        }

        /** Waits for a released buffer, on a timeout that a release cancels. */
        private void park() {
            parking = true;
            woken = false;
            parked.add(this);
            parkedCount.incrementAndGet();
            op = ops.timeout(PARK_NANOS, null, this);
        }

        /** The socket was readable, or read a full chunk a moment ago: a buffer of the pool, and a read now. */
        private void readNow() {
            ReadChunkPool p = pool();
            int b = p.acquire();
            if (b < 0) {
                if (cancelled) {
                    end(-AioErrno.ECANCELED);
                } else {
                    park();
                }
                return;
            }
            int result = readiness.readNow(handle, p.segment(b));
            if (result == -AioErrno.EAGAIN) {
                // Spurious readiness, or the data taken by the previous read: the buffer goes back, the wait again.
                p.give(b);
                next();
                return;
            }
            if (!deliver(p, b, result)) {
                return;
            }
            if (cancelled) {
                end(-AioErrno.ECANCELED);
                return;
            }
            // A task rather than a loop here: the other streams of the loop get their turn between chunks.
            ops.execute(readAgainTask);
        }

        /** The task of {@link #readNow} after a chunk: the socket likely holds more. */
        private void readAgain() {
            try {
                readNow();
            } catch (IllegalStateException closed) {
                closing();
            }
        }

        @Override
        public void completed(int result, Object ignored) {
            if (parking) {
                parked(result);
                return;
            }
            if (waiting) {
                waiting = false;
                readable(result);
                return;
            }
            ReadChunkPool p = pool;
            int b = buffer;
            buffer = -1;
            if (deliver(p, b, result)) {
                next();
            }
        }

        private void readable(int result) {
            if (result == -AioErrno.ENOTSOCK) {
                // Not a socket the adapter's readiness serves: reads, as without readiness, say what it is.
                onReadiness = false;
                next();
            } else if (result < 0) {
                end(result == -AioErrno.EBADF && readOnce ? -AioErrno.ECANCELED : result);
            } else {
                readAgain();
            }
        }

        /**
         * Hands the {@code result} bytes read into buffer {@code b} to the handler, or ends the stream at end of
         * stream or an error.
         *
         * @return whether the stream goes on
         */
        private boolean deliver(ReadChunkPool p, int b, int result) {
            if (result <= 0) {
                p.give(b);
                end(result == -AioErrno.EBADF && readOnce ? -AioErrno.ECANCELED : result);
                return false;
            }
            readOnce = true;
            long chunk = p.keep(b);
            boolean keep = false;
            try {
                keep = handler.chunk(attachment, p.segment(b).asSlice(0, result), chunk);
            } catch (Throwable t) {
                errors.accept(t);
            }
            if (!keep) {
                p.release(chunk);
            }
            return true;
        }

        private void parked(int result) {
            if (parked.remove(this)) {
                parkedCount.decrementAndGet();
            }
            if (cancelled || result == -AioErrno.ECANCELED && !woken) {
                end(-AioErrno.ECANCELED);
            } else {
                next();
            }
        }

        @Override
        void onEnd() {
            pool.streamEnded();
        }

        @Override
        void tellEnd(int result) {
            handler.end(result, attachment);
        }
    }
}
