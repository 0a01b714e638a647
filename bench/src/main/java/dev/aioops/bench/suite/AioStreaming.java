package dev.aioops.bench.suite;

import dev.aioops.spi.AioChunkHandler;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOperations;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * TCP streaming over loopback on aioops: {@code connections} clients on one instance each write messages of
 * {@code size} bytes back to back, one write in flight per connection (the next one, or the rest of a short one,
 * submitted from its completion); a server on another instance reads and discards them into a 64 KiB buffer per
 * connection, counting and checking them with a {@link StreamingTally}. Per message nothing is allocated.
 *
 * <p>With {@code -D}{@value #RECEIVE_STREAMS}{@code =true} the server takes the bytes from receive streams
 * ({@link dev.aioops.spi.AioReceiveOperations}) instead: no read buffer per connection, chunks in the adapter's
 * buffers, given back as the handler returns.
 */
final class AioStreaming implements TcpDriver {

    /** The system property that makes the server receive with receive streams. */
    static final String RECEIVE_STREAMS = "aioops.bench.receiveStreams";
    private static final int READ_BUFFER = 64 * 1024;

    private final AioOperations server;
    private final AioOperations client;
    private final int size;
    private final AioLoopback loopback;
    private final StreamingTally tally;
    private final Arena arena;
    private final List<Writer> writers = new ArrayList<>();

    AioStreaming(AioOperations server, AioOperations client, Arena arena, int connections, int size) {
        this.server = server;
        this.arena = arena;
        this.client = client;
        this.size = size;
        this.loopback = new AioLoopback(server, client, connections);
        this.tally = new StreamingTally(size);
    }

    /** Listens, accepts and connects every client; not measured. */
    @Override
    public void connect() throws Exception {
        int[] handles = loopback.connect(Boolean.getBoolean(RECEIVE_STREAMS)
                ? handle -> server.receiveChunks(handle, null, new ChunkReader(handle))
                : handle -> new Reader(handle, arena.allocate(READ_BUFFER)).readNext());
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
        long written = TcpClient.runAll(writers, durationNanos, client::execute);
        tally.drain(written, server::execute, TcpClient.WAIT_SECONDS);
        return written;
    }

    /** Closes the clients (the server side sees the end of the stream and closes), then the listener. */
    @Override
    public void close() throws Exception {
        loopback.close();
    }

    /** Reads and discards until the client closes, telling the tally what arrived. */
    private final class Reader extends AioLoopback.ServerConnection {
        private long offset;

        Reader(int handle, MemorySegment buffer) {
            super(loopback, handle, buffer);
        }

        @Override
        void received(int n) {
            tally.received(offset, n, buffer.get(ValueLayout.JAVA_BYTE, 0), buffer.get(ValueLayout.JAVA_BYTE, n - 1));
            offset += n;
            readNext();
        }

        @Override
        void failed(int result) {
            tally.fail("server read: " + AioErrno.name(result));
        }
    }

    /** Takes the stream's chunks as they come, telling the tally what arrived; keeps none. */
    private final class ChunkReader implements AioChunkHandler<Object> {
        private final int handle;
        private long offset;

        ChunkReader(int handle) {
            this.handle = handle;
        }

        @Override
        public boolean chunk(Object attachment, MemorySegment data, long chunk) {
            int n = (int) data.byteSize();
            tally.received(offset, n, data.get(ValueLayout.JAVA_BYTE, 0), data.get(ValueLayout.JAVA_BYTE, n - 1));
            offset += n;
            return false;
        }

        @Override
        public void end(int result, Object attachment) {
            if (result < 0 && result != -AioErrno.ECANCELED) {
                tally.fail("server receive stream: " + AioErrno.name(result));
            }
            loopback.closeServerSide(handle, result);
        }
    }

    /** Writes its message again and again, the rest of a short write first, until the deadline. */
    private final class Writer implements TcpClient {
        private final int handle;
        private final MemorySegment message;
        private final AioCompletion<Writer> onWritten = (n, self) -> self.written(n);
        private long deadline;
        private CountDownLatch done;
        private int sent;
        /** Bytes written in this run. */
        private long written;
        private int error;

        Writer(int handle, MemorySegment message) {
            this.handle = handle;
            this.message = message;
        }

        @Override
        public void start(long deadline, CountDownLatch done) {
            this.deadline = deadline;
            this.done = done;
            written = 0;
            sent = 0;
            client.write(handle, message, AioOperations.STREAM, this, onWritten);
        }

        @Override
        public long work() throws AioException {
            if (error < 0) {
                throw AioErrno.exception(error, "streaming write");
            }
            return written;
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
