package dev.aioops.vertx.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.internal.Observability;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * One submitted operation, from its submission on any thread until its completion on the loop. The fields
 * that describe the request are written before the operation is handed to the loop (the hand-off publishes
 * them); the loop-state fields are touched by the loop thread only; {@link #workerState} and
 * {@link #workerResult} are shared with the worker thread of a file operation.
 */
public final class Op implements Runnable {

    /** What the operation does. */
    public enum Kind {
        /** A read of a file, socket or eventfd. */
        READ,
        /** A write to a file, socket or eventfd. */
        WRITE,
        /** An fsync of a file. */
        FSYNC,
        /** The opening of a file or directory, relative to the directory handle in {@code handle}. */
        OPEN,
        /** The creation of a listening socket. */
        LISTEN,
        /** The acceptance of a connection. */
        ACCEPT,
        /** The opening of a connection. */
        CONNECT,
        /** The closing of a handle. */
        CLOSE,
        /** The creation of an eventfd. */
        EVENTFD,
        /** A timer. */
        TIMEOUT,
        /** A stat by path ({@link StatRequest}). */
        STAT,
        /** A stat of a handle (argument: the {@code AioStat}). */
        FSTAT,
        /** An fdatasync of a file. */
        FDATASYNC,
        /** An ftruncate of a file (the length in {@code offset}). */
        FTRUNCATE,
        /** An fallocate of a file ({@link FallocateRequest}). */
        FALLOCATE,
        /** An unlink ({@link UnlinkRequest}). */
        UNLINK,
        /** A rename ({@link RenameRequest}). */
        RENAME,
        /** A mkdir ({@link MkdirRequest}). */
        MKDIR,
        /** A shutdown of a socket, the {@code AioShutdown} in {@code argument}. */
        SHUTDOWN,
        /** A vectored read of a file or socket, the {@code AioVector} in {@code argument}. */
        READV,
        /** A vectored write to a file or socket, the {@code AioVector} in {@code argument}. */
        WRITEV,
        /** The opening of a datagram socket, its bind address and peer (or null) in an array in {@code argument}. */
        DATAGRAM_OPEN,
        /**
         * A datagram's send, the target {@code AioSocketAddress} (or null) in {@code argument}, its length in
         * {@code offset}.
         */
        SEND_TO,
        /** A datagram's receive, the sender's {@code AioSocketAddress} (or null) in {@code argument}. */
        RECEIVE,
        /** A send of a file to the socket {@code handle}, its {@link SendFileRequest} in {@code argument}. */
        SENDFILE;

        /** Whether it reads into the caller's memory: {@link #READ} or {@link #READV}. */
        boolean reads() {
            return this == READ || this == READV;
        }

        /**
         * Whether it moves bytes of the caller's memory or a file: a read or write, single or vectored, a
         * datagram's, or a send of a file.
         */
        boolean transfers() {
            return this == READ || this == WRITE || this == READV || this == WRITEV || this == SEND_TO
                    || this == RECEIVE || this == SENDFILE;
        }
    }

    static final int PENDING = 0;
    static final int RUNNING = 1;
    static final int FINISHED = 2;
    static final int CANCELLED = 3;

    private static final VarHandle WORKER_STATE;

    static {
        try {
            WORKER_STATE = MethodHandles.lookup().findVarHandle(Op.class, "workerState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final ContextEngine engine;
    final Kind kind;
    final long token;
    private AioCompletion<Object> completion;
    private Object attachment;

    // The request.
    int handle;
    /** The caller's buffer: kept reachable until the completion has run, as the contract promises. */
    MemorySegment buffer;
    /** {@link #buffer} as the loop and worker threads use it (see {@link Segments#view}). */
    MemorySegment view;
    long offset;
    Object argument;
    int intArgument;
    /** The deadline from submission of a read, write, readv, writev, accept or connect; 0 for none. */
    long deadlineNanos;

    // Loop state.
    boolean done;
    int result;
    /** Who can withdraw this operation before it finished, or null. */
    Canceller canceller;
    /** A resource the operation is creating (timer, socket, server, channel), to release if it is cancelled. */
    Object resource;
    /** The handle object the operation works on, once looked up (shared-ring mode). */
    Object target;
    /** The identifier the ring knows the operation by once submitted, for {@code ASYNC_CANCEL}; 0 before. */
    long kernelId;
    /** What carries the deadline: a context timer, or the memory of a link timeout's timespec ({@link Deadlines}). */
    Object deadlineState;
    /** Whether a cancel was asked for (shared ring), so that an {@code -ECANCELED} is no timeout. */
    boolean cancelRequested;

    // Shared with a worker thread (file operations).
    @SuppressWarnings("unused") // accessed through WORKER_STATE
    private volatile int workerState;
    volatile int workerResult;
    /** Loop: the worker's part of this operation has been settled (once, by whichever of two paths came first). */
    boolean returnedFromWorker;

    Op(ContextEngine engine, Kind kind, long token, AioCompletion<Object> completion, Object attachment) {
        this.engine = engine;
        this.kind = kind;
        this.token = token;
        this.completion = completion;
        this.attachment = attachment;
    }

    /** Starts the operation; runs on the loop. */
    @Override
    public void run() {
        engine.start(this);
    }

    /**
     * Before submission: gives this operation a deadline.
     *
     * @param timeoutNanos the deadline from submission, checked to be positive
     * @return this
     */
    public Op deadline(long timeoutNanos) {
        this.deadlineNanos = timeoutNanos;
        return this;
    }

    boolean casWorkerState(int expected, int next) {
        return WORKER_STATE.compareAndSet(this, expected, next);
    }

    int workerState() {
        return (int) WORKER_STATE.getVolatile(this);
    }

    void setWorkerState(int state) {
        WORKER_STATE.setVolatile(this, state);
    }

    /** Runs the completion once and drops every reference the operation held. */
    void fire(Consumer<Throwable> errorHandler) {
        Deadlines.release(this);
        AioCompletion<Object> c = completion;
        Object a = attachment;
        completion = null;
        attachment = null;
        buffer = null;
        view = null;
        argument = null;
        resource = null;
        canceller = null;
        target = null;
        try {
            Observability.complete("vertx", c, result, a);
        } catch (Throwable t) {
            errorHandler.accept(t);
        }
    }

    /** The first few of {@code ops}, for a report. */
    static String describe(Op[] ops) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < Math.min(ops.length, 8); i++) {
            text.append(i == 0 ? "" : ", ").append(ops[i]);
        }
        return ops.length > 8 ? text.append(", ...").toString() : text.toString();
    }

    @Override
    public String toString() {
        return "Op[" + kind + ", token=" + token + ", handle=" + handle + (done ? ", result=" + result : "") + "]";
    }
}
