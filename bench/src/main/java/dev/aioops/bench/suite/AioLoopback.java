package dev.aioops.bench.suite;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The topology of the TCP workloads on aioops, set up and torn down unmeasured: a listener on the server instance
 * that hands every accepted connection to the workload's server side, and client connections on the client
 * instance (two loops, one per core), over loopback.
 */
final class AioLoopback {

    private final AioOperations server;
    private final AioOperations client;
    private final int connections;
    /** Counts the server's connections down as they close, so that close() can wait for all of them. */
    private final CountDownLatch serverClosed;
    /** Counts the server's accepts down; a failed accept counts it to zero, so that nobody waits for the rest. */
    private final CountDownLatch accepted;
    /** The -errno of a failed accept, or 0. Written on the server's loop, read after {@link #accepted}. */
    private volatile int acceptFailure;
    private int[] clients = new int[0];
    private int listener = -1;

    AioLoopback(AioOperations server, AioOperations client, int connections) {
        this.server = server;
        this.client = client;
        this.connections = connections;
        this.serverClosed = new CountDownLatch(connections);
        this.accepted = new CountDownLatch(connections);
    }

    /**
     * Listens, connects the clients and hands each connection the server accepts to
     * {@code onAccept}, on the server's loop. Returns the clients' handles once all are connected and accepted.
     */
    int[] connect(IntConsumer onAccept) throws Exception {
        CompletableFuture<Integer> listening = new CompletableFuture<>();
        server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096, null,
                (r, a) -> listening.complete(r));
        listener = AioErrno.check(listening.get(TcpClient.WAIT_SECONDS, TimeUnit.SECONDS), "listen");
        InetSocketAddress address = (InetSocketAddress) server.localAddress(listener);
        server.execute(() -> acceptNext(onAccept));
        int[] handles = new int[connections];
        Arrays.fill(handles, -1);
        CountDownLatch connected = new CountDownLatch(connections);
        AtomicInteger failures = new AtomicInteger();
        for (int i = 0; i < connections; i++) {
            client.connect(address, i, (handle, index) -> {
                if (handle < 0) {
                    failures.incrementAndGet();
                } else {
                    handles[index] = handle;
                }
                connected.countDown();
            });
        }
        boolean settled = connected.await(TcpClient.WAIT_SECONDS, TimeUnit.SECONDS);
        // What did connect, so that close() closes it even when the rest failed.
        clients = Arrays.stream(handles).filter(handle -> handle >= 0).toArray();
        if (!settled || failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + connections + " connections failed"
                    + (settled ? "" : ", others did not complete in " + TcpClient.WAIT_SECONDS + " s"));
        }
        if (!accepted.await(TcpClient.WAIT_SECONDS, TimeUnit.SECONDS) || acceptFailure != 0) {
            throw new IllegalStateException("the server accepted " + (connections - accepted.getCount()) + " of "
                    + connections + " connections" + (acceptFailure == 0 ? "" : ": " + AioErrno.name(acceptFailure)));
        }
        return clients.clone();
    }

    /**
     * Closes a server-side connection whose read or write ended with {@code result} (the client closed, say),
     * unless the whole server instance is closing: that closes every handle itself.
     */
    void closeServerSide(int handle, int result) {
        if (result != -AioErrno.ECANCELED) {
            server.close(handle, null, (r, a) -> serverClosed.countDown());
        }
    }

    /**
     * Closes the clients, waits for the server side to see the end of each stream and close, then closes the
     * listener. After a failed {@link #connect} it closes the clients that did connect and does not wait for the
     * server side, whose connections are not all there: closing the server instance closes them.
     */
    void close() throws Exception {
        CountDownLatch closed = new CountDownLatch(clients.length);
        for (int handle : clients) {
            client.close(handle, null, (r, a) -> closed.countDown());
        }
        closed.await(TcpClient.WAIT_SECONDS, TimeUnit.SECONDS);
        if (clients.length == connections && acceptFailure == 0) {
            serverClosed.await(TcpClient.WAIT_SECONDS, TimeUnit.SECONDS);
        }
        if (listener >= 0) {
            CompletableFuture<Integer> listenerClosed = new CompletableFuture<>();
            server.close(listener, null, (r, a) -> listenerClosed.complete(r));
            listenerClosed.get(TcpClient.WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void acceptNext(IntConsumer onAccept) {
        server.accept(listener, null, (handle, a) -> {
            if (handle >= 0) {
                onAccept.accept(handle);
                accepted.countDown();
                acceptNext(onAccept);
            } else if (handle != -AioErrno.ECANCELED) {
                acceptFailure = handle;
                while (accepted.getCount() > 0) {
                    accepted.countDown();
                }
            }
        });
    }

    /**
     * A connection the server accepted: reads into its buffer, one read at a time, handing each chunk to
     * {@link #received}, until the client closes it or a read fails; then closes its end.
     */
    abstract static class ServerConnection {
        final int handle;
        final MemorySegment buffer;
        private final AioLoopback loopback;
        private final AioCompletion<ServerConnection> onRead = (n, self) -> self.read(n);

        ServerConnection(AioLoopback loopback, int handle, MemorySegment buffer) {
            this.loopback = loopback;
            this.handle = handle;
            this.buffer = buffer;
        }

        /** Reads the next chunk into the buffer. */
        final void readNext() {
            loopback.server.read(handle, buffer, AioOperations.STREAM, this, onRead);
        }

        /** Handles {@code n > 0} bytes read into the start of the buffer, and calls {@link #readNext}, now or later. */
        abstract void received(int n);

        /** Told of a read or write that failed with {@code result}, before the connection closes. */
        void failed(int result) {
        }

        /** Ends the connection after a read or write completed with {@code result <= 0}. */
        final void end(int result) {
            if (result < 0 && result != -AioErrno.ECANCELED) {
                failed(result);
            }
            loopback.closeServerSide(handle, result);
        }

        private void read(int n) {
            if (n <= 0) {
                end(n);
            } else {
                received(n);
            }
        }
    }
}
