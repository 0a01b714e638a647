package dev.aioops.spi;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link CompletableFuture} of one operation submitted through {@link AioFutures}: it is its own attachment,
 * so that a submission allocates this object and nothing else, and it knows the operation's token, so that
 * {@link #cancel(boolean)} cancels the operation.
 *
 * <p><b>Completion.</b> Completed on the loop of the {@link AioOperations} that accepted the operation: normally
 * with the typed result of the {@link AioFutures} method that made it, exceptionally with an
 * {@link AioException} carrying the errno when the operation's result was {@code -errno}. Dependent actions
 * added without {@code Async} therefore run on the loop and must not block; use the {@code *Async} forms, or
 * {@link #get()} / {@link #join()} from another thread, to leave it.
 *
 * <p><b>Cancellation.</b> {@link #cancel(boolean)} completes this future with a
 * {@link java.util.concurrent.CancellationException} at once (whatever {@code mayInterruptIfRunning} says) and
 * asks the adapter to cancel the operation ({@link AioOperations#cancel(long)}); a transfer ({@link
 * AioFutures#readFully}, {@link AioFutures#writeFully}) also submits no further step. The operation may still
 * have finished first: its result is then lost to this future, as with any cancelled future. Completing the
 * future by other means ({@link #complete}, {@link #orTimeout}) does <b>not</b> stop the operation; use the
 * deadline operations for time limits.
 *
 * <p><b>Buffers.</b> The buffer of the operation belongs to the adapter until the operation has completed, and
 * a cancelled future completes before that. {@link #isOperationDone()} tells when the buffer (or the
 * {@link AioStat}) is the caller's again: after a normal or exceptional completion it is always {@code true};
 * after a cancel, keep the buffer's arena open until it is (or until the handle or the instance is closed,
 * which completes every operation).
 *
 * @param <T> the type of the result
 */
public final class AioFuture<T> extends CompletableFuture<T> {

    /** The one completion of every future: settles the future it gets as attachment; captures nothing. */
    static final AioCompletion<AioFuture<?>> SETTLE = (result, future) -> future.settle(result);

    static final byte INT = 0;
    static final byte SLICE = 1;
    static final byte TARGET = 2;
    static final byte READ_FULLY = 3;
    static final byte WRITE_FULLY = 4;

    private final AioOperations ops;
    private final String what;
    private final byte kind;
    /** The buffer of a read or transfer, or the AioStat of a stat: handed back as the result for some kinds. */
    private final Object target;
    private final int handle;
    private final long offset;
    /** Bytes a transfer has moved so far; confined to the loop after the first step. */
    private int done;
    /** Written by the submitter after the submitting call returns and by each transfer step; read by cancel. */
    private volatile long token;
    private volatile boolean operationDone;

    AioFuture(AioOperations ops, String what, byte kind, Object target, int handle, long offset) {
        this.ops = ops;
        this.what = what;
        this.kind = kind;
        this.target = target;
        this.handle = handle;
        this.offset = offset;
    }

    /**
     * Records the token of the submission that was just made, and cancels it if this future was cancelled
     * before the token was known. Both this and {@link #cancel} write one volatile and read the other, so at
     * least one of them sees both and the operation is cancelled (a second cancel of a token is ignored).
     */
    AioFuture<T> submitted(long submittedToken) {
        token = submittedToken;
        if (isCancelled()) {
            ops.cancel(submittedToken);
        }
        return this;
    }

    /**
     * Cancels this future and the operation, as the class comment says.
     *
     * @param mayInterruptIfRunning ignored: the operation is cancelled either way
     * @return {@code true} if this call cancelled the future
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            long t = token;
            if (t != 0) {
                ops.cancel(t);
            }
        }
        return cancelled;
    }

    /**
     * Whether the operation has completed, so that its buffer or {@link AioStat} is the caller's again. Any
     * thread.
     *
     * @return {@code true} once the adapter has completed the operation (every step of a transfer)
     */
    public boolean isOperationDone() {
        return operationDone;
    }

    /** The loop's side: the operation (or a transfer's step) completed with {@code result}. */
    @SuppressWarnings("unchecked")
    private void settle(int result) {
        if (kind >= READ_FULLY && result >= 0 && step(result)) {
            return;
        }
        operationDone = true;
        if (isDone()) {
            return; // cancelled: nothing to report, and no exception to allocate
        }
        if (result < 0) {
            completeExceptionally(AioErrno.exception(result, what));
            return;
        }
        switch (kind) {
            case SLICE -> complete((T) ((MemorySegment) target).asSlice(0, result));
            case TARGET -> complete((T) target);
            case READ_FULLY -> complete((T) ((MemorySegment) target).asSlice(0, done));
            case WRITE_FULLY -> {
                if (done < ((MemorySegment) target).byteSize()) {
                    completeExceptionally(AioErrno.exception(-AioErrno.EIO, what + ": no progress"));
                } else {
                    complete((T) Integer.valueOf(done));
                }
            }
            default -> complete((T) Integer.valueOf(result));
        }
    }

    /**
     * One step of a transfer finished with {@code result >= 0}: submits the next one and returns {@code true},
     * or returns {@code false} when the transfer is over (full, at the end, stalled, or cancelled).
     */
    private boolean step(int result) {
        MemorySegment buffer = (MemorySegment) target;
        if (result == 0 && done < buffer.byteSize()) {
            return false; // the end of the file or stream (read), or no progress (write)
        }
        done += result;
        if (done >= buffer.byteSize() || isCancelled()) {
            return false;
        }
        submitStep();
        return true;
    }

    /** Submits the next read or write of a transfer, from {@code done} on. */
    void submitStep() {
        MemorySegment rest = ((MemorySegment) target).asSlice(done);
        long position = offset < 0 ? AioOperations.STREAM : offset + done;
        long t = kind == READ_FULLY
                ? ops.read(handle, rest, position, this, SETTLE)
                : ops.write(handle, rest, position, this, SETTLE);
        submitted(t);
    }
}
