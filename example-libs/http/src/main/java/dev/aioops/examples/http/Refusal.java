package dev.aioops.examples.http;

import dev.aioops.spi.AioOperations;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Answers a connection accepted beyond the server's limit: one {@code 503} with {@code Retry-After}, written with
 * the stall deadline, then the connection is closed. Nothing is read, so the client's request (if it sent one) is
 * dropped with the connection; the response is small enough for the socket buffer, so the client reads it before
 * the reset. Loop thread only.
 */
final class Refusal {

    /** The response; global, since every refusal shares it and it is never freed. */
    private static final MemorySegment BUSY;

    static {
        byte[] body = "503 Service Unavailable\nthe server is serving as many connections as it may\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] head = ("HTTP/1.1 503 Service Unavailable\r\nServer: aioops-example-http\r\nRetry-After: 1\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        BUSY = Arena.global().allocate(head.length + body.length);
        MemorySegment.copy(head, 0, BUSY, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, head.length);
        MemorySegment.copy(body, 0, BUSY, java.lang.foreign.ValueLayout.JAVA_BYTE, head.length, body.length);
    }

    private Refusal() {
    }

    /**
     * Writes the {@code 503} and closes the socket; {@code released} runs once the socket is closed.
     *
     * @param ops        the operations
     * @param socket     the connection to refuse
     * @param stallNanos the longest the write may wait
     * @param released   run once, on the loop, when nothing of the refusal is left
     */
    static void refuse(AioOperations ops, int socket, long stallNanos, Runnable released) {
        try {
            ops.write(socket, BUSY, AioOperations.STREAM, stallNanos, null, (result, ignored) -> close(ops, socket,
                    released));
        } catch (IllegalStateException opsClosed) {
            released.run();
        }
    }

    private static void close(AioOperations ops, int socket, Runnable released) {
        try {
            ops.close(socket, null, (r, a) -> released.run());
        } catch (IllegalStateException opsClosed) {
            released.run();
        }
    }
}
