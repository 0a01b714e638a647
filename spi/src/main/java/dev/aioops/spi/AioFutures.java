package dev.aioops.spi;

import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * Operations as {@link java.util.concurrent.CompletableFuture}s, for libraries whose API returns futures.
 *
 * <p>Each method submits one operation of {@code ops} (a transfer: one at a time until it is done) with the
 * future itself as the attachment and one shared, non-capturing completion, so that it allocates the
 * {@link AioFuture} and nothing else (a successful {@code Integer} result above 127 is boxed, and the typed
 * results of {@link #read}, {@link #readFully} are a slice of the buffer). The future completes on the loop:
 * normally with the result below, or with an {@link AioException} carrying the errno when the operation's result
 * is {@code -errno}. {@link AioFuture#cancel(boolean)} cancels the operation.
 *
 * <p><b>Threads, buffers and misuse</b> as for the operation submitted: any thread may call these methods;
 * the buffer belongs to the adapter until the operation completes ({@link AioFuture#isOperationDone()});
 * misuse throws at once, before a future exists.
 */
public final class AioFutures {

    private AioFutures() {
    }

    /**
     * Submits any operation as a future of its {@code int} result, for the operations without a method here.
     * The submission must pass the future it is given as the attachment and the completion it is given as the
     * completion, and return the token:
     *
     * <pre>{@code
     * AioFuture<Integer> synced = AioFutures.submit(ops, "fsync", (future, completion) ->
     *         ops.fsync(handle, future, completion));
     * }</pre>
     *
     * A lambda that captures variables is allocated by the caller, besides the future.
     *
     * @param ops        the operations that run it
     * @param what       what is being done, for the message of a failure; may be null
     * @param submission submits the operation
     * @return the future of the operation's result ({@code >= 0})
     * @throws NullPointerException if {@code ops} or {@code submission} is null; misuse of the operation throws
     *                              as that operation says
     */
    public static AioFuture<Integer> submit(AioOperations ops, String what, Submission submission) {
        Objects.requireNonNull(submission, "submission");
        AioFuture<Integer> future = future(ops, what, AioFuture.INT, null);
        return future.submitted(submission.submit(future, AioFuture.SETTLE));
    }

    /**
     * {@link AioOperations#read}: the bytes read, as a slice of {@code buffer}.
     *
     * @param ops    the operations
     * @param handle a file, socket or eventfd handle of {@code ops}
     * @param buffer native memory, the adapter's until the operation is done
     * @param offset a file position {@code >= 0}, or {@link AioOperations#STREAM}
     * @return the future of the slice of {@code buffer} that holds the bytes read; empty at the end of a stream
     */
    public static AioFuture<MemorySegment> read(AioOperations ops, int handle, MemorySegment buffer, long offset) {
        AioFuture<MemorySegment> future = future(ops, "read", AioFuture.SLICE, Objects.requireNonNull(buffer));
        return future.submitted(ops.read(handle, buffer, offset, future, AioFuture.SETTLE));
    }

    /**
     * {@link AioOperations#write}: the number of bytes written, which may be fewer than the buffer holds on a
     * stream.
     *
     * @param ops    the operations
     * @param handle a file or socket handle of {@code ops}
     * @param buffer native memory, the adapter's until the operation is done
     * @param offset a file position {@code >= 0}, or {@link AioOperations#STREAM}
     * @return the future of the number of bytes written
     */
    public static AioFuture<Integer> write(AioOperations ops, int handle, MemorySegment buffer, long offset) {
        AioFuture<Integer> future = future(ops, "write", AioFuture.INT, null);
        return future.submitted(ops.write(handle, buffer, offset, future, AioFuture.SETTLE));
    }

    /**
     * Reads until {@code buffer} is full or the file or stream ends, as {@link AioTransfers#readFully} does, with
     * the future as the only state.
     *
     * @param ops    the operations
     * @param handle a file or socket handle of {@code ops}
     * @param buffer native memory of at most {@link Integer#MAX_VALUE} bytes, the adapter's until the operation
     *               is done
     * @param offset the file position of the first byte, or {@link AioOperations#STREAM}
     * @return the future of the slice of {@code buffer} that was filled: all of it, or less when the end came
     *         first
     * @throws IllegalArgumentException if {@code buffer} is larger than {@link Integer#MAX_VALUE} bytes, or as
     *                                  {@link AioOperations#read}
     */
    public static AioFuture<MemorySegment> readFully(AioOperations ops, int handle, MemorySegment buffer,
                                                     long offset) {
        AioFuture<MemorySegment> future = transfer(ops, "read fully", AioFuture.READ_FULLY, handle, buffer, offset);
        future.submitStep();
        return future;
    }

    /**
     * Writes the whole of {@code buffer}, as {@link AioTransfers#writeFully} does, with the future as the only
     * state.
     *
     * @param ops    the operations
     * @param handle a file or socket handle of {@code ops}
     * @param buffer native memory of at most {@link Integer#MAX_VALUE} bytes, the adapter's until the operation
     *               is done
     * @param offset the file position of the first byte, or {@link AioOperations#STREAM}
     * @return the future of {@code buffer.byteSize()}; an {@link AioException} with {@code EIO} when a write made
     *         no progress
     * @throws IllegalArgumentException if {@code buffer} is larger than {@link Integer#MAX_VALUE} bytes, or as
     *                                  {@link AioOperations#write}
     */
    public static AioFuture<Integer> writeFully(AioOperations ops, int handle, MemorySegment buffer, long offset) {
        AioFuture<Integer> future = transfer(ops, "write fully", AioFuture.WRITE_FULLY, handle, buffer, offset);
        future.submitStep();
        return future;
    }

    /**
     * {@link AioOperations#open}: a new file handle.
     *
     * @param ops     the operations
     * @param path    the file
     * @param options how to open it
     * @return the future of the new handle
     */
    public static AioFuture<Integer> open(AioOperations ops, Path path, Set<AioOpenOption> options) {
        AioFuture<Integer> future = future(ops, "open", AioFuture.INT, null);
        return future.submitted(ops.open(path, options, future, AioFuture.SETTLE));
    }

    /**
     * {@link AioOperations#close}: 0 once the handle is closed.
     *
     * @param ops    the operations
     * @param handle a handle of {@code ops}
     * @return the future of 0
     */
    public static AioFuture<Integer> close(AioOperations ops, int handle) {
        AioFuture<Integer> future = future(ops, "close", AioFuture.INT, null);
        return future.submitted(ops.close(handle, future, AioFuture.SETTLE));
    }

    /**
     * {@link AioOperations#connect}: a new connected socket handle.
     *
     * @param ops     the operations
     * @param address where to connect
     * @return the future of the new handle
     */
    public static AioFuture<Integer> connect(AioOperations ops, SocketAddress address) {
        AioFuture<Integer> future = future(ops, "connect", AioFuture.INT, null);
        return future.submitted(ops.connect(address, future, AioFuture.SETTLE));
    }

    /**
     * {@link AioOperations#accept}: a new connected socket handle.
     *
     * @param ops          the operations
     * @param listenHandle a listening handle of {@code ops}
     * @return the future of the new handle
     */
    public static AioFuture<Integer> accept(AioOperations ops, int listenHandle) {
        AioFuture<Integer> future = future(ops, "accept", AioFuture.INT, null);
        return future.submitted(ops.accept(listenHandle, future, AioFuture.SETTLE));
    }

    /**
     * {@link AioOperations#listen}: a new listening handle.
     *
     * @param ops     the operations
     * @param address where to listen
     * @param backlog the backlog
     * @return the future of the new handle
     */
    public static AioFuture<Integer> listen(AioOperations ops, SocketAddress address, int backlog) {
        AioFuture<Integer> future = future(ops, "listen", AioFuture.INT, null);
        return future.submitted(ops.listen(address, backlog, future, AioFuture.SETTLE));
    }

    /**
     * {@link AioFileOperations#stat} relative to the working directory, following symbolic links.
     *
     * @param ops  the operations
     * @param path the file
     * @param into the holder to fill, the adapter's until the operation is done
     * @return the future of {@code into}, filled
     */
    public static AioFuture<AioStat> stat(AioOperations ops, Path path, AioStat into) {
        AioFuture<AioStat> future = future(ops, "stat", AioFuture.TARGET, Objects.requireNonNull(into, "into"));
        return future.submitted(ops.stat(AioFileOperations.WORKING_DIRECTORY, path, true, into, future,
                AioFuture.SETTLE));
    }

    private static <T> AioFuture<T> future(AioOperations ops, String what, byte kind, Object target) {
        return new AioFuture<>(Objects.requireNonNull(ops, "ops"), what, kind, target, -1, AioOperations.STREAM);
    }

    private static <T> AioFuture<T> transfer(AioOperations ops, String what, byte kind, int handle,
                                             MemorySegment buffer, long offset) {
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(buffer, "buffer");
        if (buffer.byteSize() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a transfer takes at most " + Integer.MAX_VALUE
                    + " bytes; split the " + buffer.byteSize() + "-byte buffer");
        }
        return new AioFuture<>(ops, what, kind, buffer, handle, offset);
    }

    /**
     * Submits one operation for {@link #submit}.
     */
    @FunctionalInterface
    public interface Submission {
        /**
         * Submits the operation with the given attachment and completion.
         *
         * @param future     the attachment to pass
         * @param completion the completion to pass
         * @return the token the submitting method returned
         */
        long submit(AioFuture<Integer> future, AioCompletion<AioFuture<?>> completion);
    }
}
