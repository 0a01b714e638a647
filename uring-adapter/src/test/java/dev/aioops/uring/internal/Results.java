package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Test helper: a completion that records its one result and fails the test on a second call. */
final class Results implements AioCompletion<Object> {

    private final CompletableFuture<Integer> result = new CompletableFuture<>();
    private volatile Thread thread;

    @Override
    public void completed(int value, Object attachment) {
        thread = Thread.currentThread();
        if (!result.complete(value)) {
            throw new AssertionError("completed twice: first " + result.join() + ", then " + value);
        }
    }

    int await() {
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("no completion within 30 s", e);
        }
    }

    boolean isDone() {
        return result.isDone();
    }

    Thread thread() {
        return thread;
    }
}
