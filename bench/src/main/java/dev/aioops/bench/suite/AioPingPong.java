package dev.aioops.bench.suite;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOperations;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * TCP ping-pong over loopback on aioops: an echo server on one instance, {@code connections} clients on another
 * (two loops, one per core), each client with one message of {@code size} bytes in flight, sent again as soon as
 * its echo is complete. Counts round trips until the deadline. Per message nothing is allocated.
 */
final class AioPingPong implements TcpDriver {

    private final AioOperations server;
    private final AioOperations client;
    private final int size;
    private final AioLoopback loopback;
    private final Arena arena;
    private final List<ClientConnection> clients = new ArrayList<>();

    AioPingPong(AioOperations server, AioOperations client, Arena arena, int connections, int size) {
        this.server = server;
        this.arena = arena;
        this.client = client;
        this.size = size;
        this.loopback = new AioLoopback(server, client, connections);
    }

    /** Listens, accepts and connects every client; not measured. */
    @Override
    public void connect() throws Exception {
        int[] handles = loopback.connect(handle -> new EchoConnection(handle, arena.allocate(Math.max(size, 65536)))
                .readNext());
        for (int handle : handles) {
            clients.add(new ClientConnection(handle, arena.allocate(size), arena.allocate(size)));
        }
    }

    /** Ping-pongs on every connection until the deadline; returns the number of round trips. */
    @Override
    public long run(long durationNanos) throws Exception {
        return TcpClient.runAll(clients, durationNanos, client::execute);
    }

    /** Closes the clients (the server side sees the end of the stream and closes), then the listener. */
    @Override
    public void close() throws Exception {
        loopback.close();
    }

    /** Echoes what it reads until the client closes. */
    private final class EchoConnection extends AioLoopback.ServerConnection {
        private final AioCompletion<EchoConnection> onWritten = (n, self) -> self.written(n);
        private int pending;
        private int sent;

        EchoConnection(int handle, MemorySegment buffer) {
            super(loopback, handle, buffer);
        }

        @Override
        void received(int n) {
            pending = n;
            sent = 0;
            server.write(handle, buffer.asSlice(0, n), AioOperations.STREAM, this, onWritten);
        }

        private void written(int n) {
            if (n < 0) {
                end(n);
                return;
            }
            sent += n;
            if (sent < pending) {
                server.write(handle, buffer.asSlice(sent, pending - sent), AioOperations.STREAM, this, onWritten);
            } else {
                readNext();
            }
        }
    }

    /** Sends a message, waits for all of its echo, repeats. */
    private final class ClientConnection implements TcpClient {
        private final MemorySegment out;
        private final MemorySegment in;
        private final AioCompletion<ClientConnection> onWritten = (n, self) -> self.written(n);
        private final AioCompletion<ClientConnection> onRead = (n, self) -> self.read(n);
        private final int handle;
        private long deadline;
        private CountDownLatch done;
        private long roundTrips;
        private int sent;
        private int received;
        private int error;

        ClientConnection(int handle, MemorySegment out, MemorySegment in) {
            this.handle = handle;
            this.out = out;
            this.in = in;
        }

        @Override
        public void start(long deadline, CountDownLatch done) {
            this.deadline = deadline;
            this.done = done;
            this.roundTrips = 0;
            send();
        }

        @Override
        public long work() throws AioException {
            if (error < 0) {
                throw AioErrno.exception(error, "ping-pong");
            }
            return roundTrips;
        }

        private void send() {
            sent = 0;
            received = 0;
            client.write(handle, out, AioOperations.STREAM, this, onWritten);
            client.read(handle, in, AioOperations.STREAM, this, onRead);
        }

        private void written(int n) {
            if (n < 0) {
                fail(n);
                return;
            }
            sent += n;
            if (sent < size) {
                client.write(handle, out.asSlice(sent), AioOperations.STREAM, this, onWritten);
            }
        }

        private void read(int n) {
            if (n <= 0) {
                fail(n == 0 ? -AioErrno.ECONNRESET : n);
                return;
            }
            received += n;
            if (received < size) {
                client.read(handle, in.asSlice(received), AioOperations.STREAM, this, onRead);
                return;
            }
            roundTrips++;
            if (System.nanoTime() < deadline) {
                send();
            } else {
                done.countDown();
            }
        }

        private void fail(int result) {
            if (error == 0) {
                error = result;
                done.countDown();
            }
        }
    }
}
