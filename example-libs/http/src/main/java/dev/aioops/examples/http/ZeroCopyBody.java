package dev.aioops.examples.http;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;

/**
 * Sends a response body from a file straight to the socket ({@code sendFile}: splice on io_uring, sendfile(2)
 * elsewhere), never through the connection's buffers, in as many sends as it takes. Each send is watched by the
 * stall timeout: the contract's {@code sendFile} has no deadline of its own, so a {@code timeout} is armed beside it
 * and cancels it if it makes no progress in time (the send then completes with what it moved, or
 * {@code -ECANCELED}). One per connection, reused; one body at a time; loop thread only.
 */
final class ZeroCopyBody {

    private final AioOperations ops;
    private final int socket;
    private final long stallNanos;
    private final AioCompletion<Object> sent = this::sent;
    private final AioCompletion<Object> stalled = this::stalled;
    /** Numbers the sends, so that a timer that fires after its send ended (its cancel lost) is told apart. */
    private int sends;
    private int file;
    private long offset;
    private long remaining;
    private long sendToken;
    private long timerToken;
    private boolean timedOut;
    private AioCompletion<Object> whenDone;

    ZeroCopyBody(AioOperations ops, int socket, long stallNanos) {
        this.ops = ops;
        this.socket = socket;
        this.stallNanos = stallNanos;
    }

    /**
     * Sends {@code length} bytes of {@code file} from {@code offset}; {@code whenDone} gets 0, or the first
     * failure's {@code -errno} ({@code -ETIMEDOUT} for a stall, {@code -EIO} if the file ended early).
     */
    void send(int file, long offset, long length, AioCompletion<Object> whenDone) {
        this.file = file;
        this.offset = offset;
        this.remaining = length;
        this.whenDone = whenDone;
        next();
    }

    private void next() {
        timedOut = false;
        try {
            timerToken = ops.timeout(stallNanos, ++sends, stalled);
            sendToken = ops.sendFile(socket, file, offset, remaining, null, sent);
        } catch (IllegalStateException opsClosed) {
            finish(-AioErrno.ECANCELED);
        }
    }

    private void stalled(int result, Object send) {
        if (result == 0 && sendToken != 0 && (Integer) send == sends) {
            timerToken = 0;
            timedOut = true;
            ops.cancel(sendToken);
        }
    }

    private void sent(int result, Object ignored) {
        sendToken = 0;
        if (timerToken != 0) {
            ops.cancel(timerToken);
            timerToken = 0;
        }
        if (result > 0) {
            offset += result;
            remaining -= result;
        }
        if (timedOut && result <= 0) {
            finish(-AioErrno.ETIMEDOUT);
        } else if (result < 0) {
            finish(result);
        } else if (result == 0) {
            finish(-AioErrno.EIO); // the file is shorter than the length the head promised
        } else if (remaining > 0) {
            next();
        } else {
            finish(0);
        }
    }

    private void finish(int result) {
        AioCompletion<Object> callback = whenDone;
        whenDone = null;
        callback.completed(result, null);
    }
}
