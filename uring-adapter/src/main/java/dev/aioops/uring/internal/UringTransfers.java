package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioVector;
import dev.aioops.spi.internal.Checks;

import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;

/**
 * The submissions of {@link UringAioOperations} that may carry a deadline (read, write, readv, writev, accept,
 * connect; {@code timeoutNanos} 0 for none): checked, then submitted at once on the loop or, from another thread,
 * replayed there through a {@link RemoteRequest} whose replay captures nothing. Any thread.
 */
final class UringTransfers extends SubmissionGroup {

    UringTransfers(UringLoop loop) {
        super(loop);
    }

    private long remote(RemoteRequest.Replay replay, int handle, MemorySegment buffer, long value, long timeoutNanos,
                        Object argument, Object attachment, AioCompletion<?> completion) {
        return remote(new RemoteRequest(replay, handle, buffer, value, timeoutNanos, argument, attachment,
                erase(completion)));
    }

    long transfer(boolean write, int handle, MemorySegment buffer, long offset, long timeoutNanos, Object attachment,
                  AioCompletion<?> completion) {
        if (write) {
            Checks.buffer(buffer);
        } else {
            Checks.readBuffer(buffer);
        }
        Checks.offset(offset);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.transfer(write, handle, buffer, offset, timeoutNanos, attachment, erase(completion), 0);
        }
        RemoteRequest.Replay replay = write
                ? (o, r) -> o.transfer(true, r.handle, r.buffer, r.value, r.timeoutNanos, r.attachment, r.completion,
                        r.token)
                : (o, r) -> o.transfer(false, r.handle, r.buffer, r.value, r.timeoutNanos, r.attachment, r.completion,
                        r.token);
        return remote(replay, handle, buffer, offset, timeoutNanos, null, attachment, completion);
    }

    long vectored(boolean write, int handle, AioVector vector, long offset, long timeoutNanos, Object attachment,
                  AioCompletion<?> completion) {
        Checks.offset(offset);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.vectors().transfer(write, handle, vector, offset, timeoutNanos, attachment, erase(completion),
                    0);
        }
        return remote(write
                ? (o, r) -> o.vectors().transfer(true, r.handle, (AioVector) r.argument, r.value, r.timeoutNanos,
                        r.attachment, r.completion, r.token)
                : (o, r) -> o.vectors().transfer(false, r.handle, (AioVector) r.argument, r.value, r.timeoutNanos,
                        r.attachment, r.completion, r.token),
                handle, null, offset, timeoutNanos, vector, attachment, completion);
    }

    long accept(int listenHandle, long timeoutNanos, Object attachment, AioCompletion<?> completion) {
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.accept(listenHandle, timeoutNanos, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.accept(r.handle, r.timeoutNanos, r.attachment, r.completion, r.token),
                listenHandle, null, 0, timeoutNanos, null, attachment, completion);
    }

    long connect(SocketAddress address, long timeoutNanos, Object attachment, AioCompletion<?> completion) {
        Checks.address(address);
        Checks.completion(completion);
        checkOpen();
        if (loop.onLoop()) {
            return ops.connect(address, timeoutNanos, attachment, erase(completion), 0);
        }
        return remote((o, r) -> o.connect((SocketAddress) r.argument, r.timeoutNanos, r.attachment,
                r.completion, r.token), -1, null, 0, timeoutNanos, address, attachment, completion);
    }
}
