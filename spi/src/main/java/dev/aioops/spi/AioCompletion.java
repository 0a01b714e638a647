package dev.aioops.spi;

/**
 * The callback of one submitted operation: {@code (result, attachment)}, in the order of the JDK's
 * {@link java.nio.channels.CompletionHandler}, with a primitive result so that completing allocates nothing.
 *
 * <p><b>Result.</b> {@code result >= 0} is success and its meaning is the operation's (bytes transferred, a new
 * handle, or 0); {@code result < 0} is {@code -errno} with Linux numbering on every adapter, named by
 * {@link AioErrno}.
 *
 * <p><b>Thread.</b> Runs on the loop of the {@link AioOperations} that accepted the operation, never concurrently
 * with another completion of that instance. It may run before the submitting call returns (for example when
 * the arguments are rejected with {@code -EBADF}), so a library must not rely on state it sets up after
 * submitting.
 *
 * <p><b>Rules.</b> A completion must not block. It may submit further operations (they are batched with the
 * rest of the loop turn). If it throws, the exception is passed to {@link AioConfig#errorHandler()} and the
 * loop carries on.
 *
 * @param <A> the type of the attachment handed back unchanged
 */
@FunctionalInterface
public interface AioCompletion<A> {

    /**
     * Called exactly once when the operation has finished, failed or been cancelled.
     *
     * @param result     the operation's result when {@code >= 0}, else {@code -errno}
     * @param attachment the object passed on submission, possibly {@code null}
     */
    void completed(int result, A attachment);
}
