package dev.aioops.crossadapter;

import dev.aioops.vthreads.AioBlocking;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/** What the virtual-thread facade's tests do on a virtual thread of their own. */
final class VirtualThreadCalls {

    private VirtualThreadCalls() {
    }

    /** Runs {@code body} on a new virtual thread and returns its result or throws what it threw. */
    static <T> T onVirtualThread(Callable<T> body) throws Exception {
        FutureTask<T> task = new FutureTask<>(body);
        Thread.ofVirtual().start(task).join();
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    /** Closes {@code handles} through the facade, on a virtual thread. */
    static void closeOnVirtualThread(AioBlocking io, int... handles) throws Exception {
        onVirtualThread(() -> {
            for (int handle : handles) {
                io.close(handle);
            }
            return null;
        });
    }
}
