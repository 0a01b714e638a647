package dev.aioops.crossadapter;

import dev.aioops.vthreads.AioBlocking;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

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

    /** A connected loopback TCP pair, {client, server}, made through the facade on virtual threads. */
    static int[] connectedPair(AioBlocking io) throws Exception {
        int listener = onVirtualThread(() -> io.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4));
        InetSocketAddress address = (InetSocketAddress) io.operations().localAddress(listener);
        FutureTask<Integer> accept = new FutureTask<>(() -> io.accept(listener));
        Thread.ofVirtual().start(accept);
        int client = onVirtualThread(() -> io.connect(address));
        int server = accept.get(30, TimeUnit.SECONDS);
        closeOnVirtualThread(io, listener);
        return new int[] {client, server};
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
