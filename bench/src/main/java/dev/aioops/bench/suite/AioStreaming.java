package dev.aioops.bench.suite;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * TCP streaming over loopback on aioops: {@code connections} clients on one instance each write messages of
 * {@code size} bytes back to back, one write in flight per connection (the next one, or the rest of a short one,
 * submitted from its completion); a server on another instance reads and discards them into a 64 KiB buffer per
 * connection, counting and checking them with a {@link StreamingTally}. Per message nothing is allocated.
 */
final class AioStreaming implements TcpDriver {

    private static final int READ_BUFFER = 64 * 1024;

    private final AioOperations server;
    private final AioOperations client;
    private final int connections;
    private final int size;
    private final AioLoopback loopback;
    private final StreamingTally tally;
    private final Arena arena = Arena.ofShared();
    private final List<Writer> writers = new ArrayList<>();
    private long counted;

    AioStreaming(AioOperations server, AioOperations client, int connections, int size) {
        this.server = server;
        this.client = client;
        this.connections = connections;
        this.size = size;
        this.loopback = new AioLoopback(server, client, connections);
        this.tally = new StreamingTally(size);
    }

    /** Listens, accepts and connects every client; not measured. */
    @Override
    public void connect() throws Exception {
        int[] handles = loopback.connect(handle -> new Reader(handle, arena.allocate(READ_BUFFER)).readNext());
        for (int handle : handles) {
            MemorySegment message = arena.allocate(size);
            for (int j = 0; j < size; j++) {
                message.set(ValueLayout.JAVA_BYTE, j, StreamingTally.patternAt(j, size));
            }
            writers.add(new Writer(handle, message));
        }
    }

    /**
     * Streams on every connection until the deadline, then waits until the server has received every byte written;
     * returns the number of bytes.
     */
    @Override
    public long run(long durationNanos) throws Exception {
        CountDownLatch done = new CountDownLatch(connections);
        long deadline = System.nanoTime() + durationNanos;
        client.execute(() -> {
            for (Writer w : writers) {
                w.start(deadline, done);
            }
        });
        if (!done.await(durationNanos / 1_000_000 + AioLoopback.WAIT_SECONDS * 1000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("connections did not finish");
        }
        long written = 0;
        for (Writer w : writers) {
            if (w.error < 0) {
                throw AioErrno.exception(w.error, "streaming write");
            }
            written += w.written;
        }
        tally.drain(written, server::execute, AioLoopback.WAIT_SECONDS);
        long bytes = written - counted;
        counted = written;
        return bytes;
    }

    /** Closes the clients (the server side sees the end of the stream and closes), then the listener. */
    @Override
    public void close() throws Exception {
        loopback.close();
        arena.close();
    }

    /** Reads and discards until the client closes, telling the tally what arrived. */
    private final class Reader {
        private final int handle;
        private final MemorySegment buffer;
        private final AioCompletion<Reader> onRead = (n, self) -> self.read(n);
        private long offset;

        Reader(int handle, MemorySegment buffer) {
            this.handle = handle;
            this.buffer = buffer;
        }

        void readNext() {
            server.read(handle, buffer, AioOperations.STREAM, this, onRead);
        }

        private void read(int n) {
            if (n <= 0) {
                if (n < 0 && n != -AioErrno.ECANCELED) {
                    tally.fail("server read: " + AioErrno.name(n));
                }
                loopback.closeServerSide(handle, n);
                return;
            }
            tally.received(offset, n, buffer.get(ValueLayout.JAVA_BYTE, 0), buffer.get(ValueLayout.JAVA_BYTE, n - 1));
            offset += n;
            readNext();
        }
    }

    /** Writes its message again and again, the rest of a short write first, until the deadline. */
    private final class Writer {
        private final int handle;
        private final MemorySegment message;
        private final AioCompletion<Writer> onWritten = (n, self) -> self.written(n);
        private long deadline;
        private CountDownLatch done;
        private int sent;
        /** Bytes written since the start, over every run. */
        private long written;
        private int error;

        Writer(int handle, MemorySegment message) {
            this.handle = handle;
            this.message = message;
        }

        void start(long deadline, CountDownLatch done) {
            this.deadline = deadline;
            this.done = done;
            sent = 0;
            client.write(handle, message, AioOperations.STREAM, this, onWritten);
        }

        private void written(int n) {
            if (n < 0) {
                error = n;
                done.countDown();
                return;
            }
            written += n;
            sent += n;
            if (sent < size) {
                client.write(handle, message.asSlice(sent), AioOperations.STREAM, this, onWritten);
            } else if (System.nanoTime() < deadline) {
                sent = 0;
                client.write(handle, message, AioOperations.STREAM, this, onWritten);
            } else {
                done.countDown();
            }
        }
    }
}
