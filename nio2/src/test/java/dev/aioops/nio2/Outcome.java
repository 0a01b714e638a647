package dev.aioops.nio2;

import java.nio.channels.CompletionHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A completion handler that records its outcome and whether it ran on a handler thread of the implementation. */
final class Outcome<V> implements CompletionHandler<V, Object> {

    private final CompletableFuture<V> result = new CompletableFuture<>();
    private final BooleanSupplier onHandlerThread;
    private volatile boolean ranOnHandlerThread;
    private volatile Object attachment;

    Outcome(ChannelsUnderTest impl) {
        this.onHandlerThread = impl::onHandlerThread;
    }

    @Override
    public void completed(V value, Object att) {
        ranOnHandlerThread = onHandlerThread.getAsBoolean();
        attachment = att;
        result.complete(value);
    }

    @Override
    public void failed(Throwable error, Object att) {
        ranOnHandlerThread = onHandlerThread.getAsBoolean();
        attachment = att;
        result.completeExceptionally(error);
    }

    /** The value, waiting up to 10 s. */
    V value() throws Exception {
        return result.get(10, TimeUnit.SECONDS);
    }

    /** The failure, waiting up to 10 s; throws if it completed instead. */
    Throwable failure() throws Exception {
        try {
            V v = result.get(10, TimeUnit.SECONDS);
            throw new AssertionError("completed with " + v + " where a failure was expected");
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    boolean isDone() {
        return result.isDone();
    }

    boolean ranOnHandlerThread() {
        return ranOnHandlerThread;
    }

    Object attachment() {
        return attachment;
    }
}
