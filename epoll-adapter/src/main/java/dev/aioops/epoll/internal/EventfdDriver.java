package dev.aioops.epoll.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;

/**
 * Reads and writes of emulated eventfds, with the rules of {@code eventfd(2)}: 8-byte buffers, a read waits for
 * a non-zero counter and takes all of it, a write adds its value. Loop-confined.
 */
final class EventfdDriver implements OpCanceller {

    private final HandleTable handles;
    private final CompletionQueue completions;

    EventfdDriver(HandleTable handles, CompletionQueue completions) {
        this.handles = handles;
        this.completions = completions;
    }

    /** Makes an eventfd with the initial value in {@link Op#value}; completes with its handle. */
    void create(Op op) {
        completions.finish(op, HandleTable.resultOf(handles.add(new EventfdResource(op.value))));
    }

    /** Starts a read or write. */
    void transfer(EventfdResource e, Op op) {
        if (op.vector != null) {
            completions.finish(op, -AioErrno.EINVAL); // an eventfd takes no vector: see AioVectoredOperations
        } else if (op.offset != AioOperations.STREAM) {
            completions.finish(op, -AioErrno.ESPIPE);
        } else if (op.buffer.byteSize() < 8) {
            completions.finish(op, -AioErrno.EINVAL);
        } else if (op.kind == Op.READ) {
            op.canceller = this;
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
    @Override
    public void cancel(Op op) {
        if (op.list != null) {
            op.list.remove(op);
            completions.finish(op, -AioErrno.ECANCELED);
        }
    }
}
