package dev.aioops.epoll.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;

/**
 * Reads and writes of emulated eventfds, with the rules of {@code eventfd(2)}: 8-byte buffers, a read waits for
 * a non-zero counter and takes all of it, a write adds its value. Loop-confined.
 */
final class EventfdDriver {

    private final CompletionQueue completions;

    EventfdDriver(CompletionQueue completions) {
        this.completions = completions;
    }

    /** Starts a read or write. */
    void transfer(EventfdResource e, Op op) {
        if (op.offset != AioOperations.STREAM) {
            completions.finish(op, -AioErrno.ESPIPE);
        } else if (op.buffer.byteSize() < 8) {
            completions.finish(op, -AioErrno.EINVAL);
        } else if (op.kind == Op.READ) {
            e.readers.add(op);
            deliver(e);
        } else {
            long value = Buffers.getLong(op.buffer);
            if (value == -1L) {
                completions.finish(op, -AioErrno.EINVAL);
            } else if (value != 0 && !e.add(value)) {
                // A blocking eventfd would wait for a read here; the loop cannot, so it fails as O_NONBLOCK does.
                completions.finish(op, -AioErrno.EAGAIN);
            } else {
                completions.finish(op, 8);
                deliver(e);
            }
        }
    }

    /** Hands the counter to waiting reads, one read per non-zero value, oldest first. */
    void deliver(EventfdResource e) {
        while (!e.readers.isEmpty()) {
            long value = e.take();
            if (value == 0) {
                return;
            }
            Op op = e.readers.poll();
            Buffers.putLong(op.buffer, value);
            completions.finish(op, 8);
        }
    }

    /** Completes every waiting read with {@code -ECANCELED}. */
    void cancelAll(EventfdResource e) {
        Op op;
        while ((op = e.readers.poll()) != null) {
            completions.finish(op, -AioErrno.ECANCELED);
        }
    }

    /** Withdraws one waiting read. */
    void cancel(Op op) {
        if (op.list != null) {
            op.list.remove(op);
            completions.finish(op, -AioErrno.ECANCELED);
        }
    }
}
