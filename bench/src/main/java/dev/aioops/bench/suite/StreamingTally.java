package dev.aioops.bench.suite;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The server side's account of a TCP streaming run, the same for every contender: it counts the bytes the server
 * receives and checks them cheaply.
 *
 * <p>Every client writes the same message of {@code size} bytes back to back, byte {@code j} of a message being
 * {@code j % 251} ({@link #patternAt}). Each chunk the server reads is checked at its first and last byte against
 * the pattern at that connection's stream offset: two loads per read, whatever its length, which catches a lost,
 * repeated or misplaced chunk, though not a byte changed in the middle. When the clients have stopped, the server
 * must then receive exactly the bytes they wrote, no more and no less ({@link #drain}).
 *
 * <p>Confined to the server's loop, except {@link #drain}, which any other thread calls.
 */
final class StreamingTally {

    private final int size;
    private long received;
    /** What the server had received when the last run was drained. */
    private long settled;
    private long expected = -1;
    private CountDownLatch drained;
    private String failure;

    StreamingTally(int size) {
        this.size = size;
    }

    /** The byte at {@code offset} of a connection's stream of messages of {@code size} bytes. */
    static byte patternAt(long offset, int size) {
        return (byte) (offset % size % 251);
    }

    /**
     * Accounts for a chunk of {@code n > 0} bytes the server read at {@code offset} of its connection's stream, whose
     * first and last bytes are {@code first} and {@code last}. On the server's loop.
     */
    void received(long offset, int n, byte first, byte last) {
        if (first != patternAt(offset, size) || last != patternAt(offset + n - 1, size)) {
            record("stream corrupted: " + n + " bytes at offset " + offset + " start with " + first + " and end with "
                    + last + ", expected " + patternAt(offset, size) + " and " + patternAt(offset + n - 1, size));
        }
        received += n;
        settle();
    }

    /** Records a failure of the server side (the first one is reported); on the server's loop. */
    void fail(String reason) {
        record(reason);
        settle();
    }

    /**
     * Waits until the server has received exactly {@code written} bytes in this run: what the clients have written
     * in it, now that they have stopped. {@code onServerLoop} runs a task on the server's loop.
     *
     * @throws IllegalStateException if the stream was corrupted, more bytes arrived, or fewer did in time
     */
    void drain(long written, Consumer<Runnable> onServerLoop, long timeoutSeconds) throws InterruptedException {
        CountDownLatch latch = new CountDownLatch(1);
        onServerLoop.accept(() -> {
            expected = settled + written;
            drained = latch;
            settle();
        });
        if (!latch.await(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the server did not receive all bytes the clients wrote");
        }
        // The latch orders the loop's write of failure before this read.
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Releases a waiting drain once all bytes are in, or at the first failure. */
    private void settle() {
        if (drained == null || (failure == null && received < expected)) {
            return;
        }
        if (received > expected) {
            record("the server received " + (received - settled) + " bytes, the clients wrote "
                    + (expected - settled));
        }
        settled = expected;
        drained.countDown();
        drained = null;
    }

    private void record(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }
}
