package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;

import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Set;

/**
 * A submission made on a thread other than the loop: carried through the inbox and replayed on the loop with the
 * token the submitter was already given. Allocated per cross-thread submission (the loop's own are not).
 */
final class RemoteRequest {
    /** Kinds beyond those of {@link OpSlots}: operations that complete at once on the loop. */
    static final byte LISTEN = 20;
    static final byte EVENTFD = 21;

    final byte kind;
    final int handle;
    final MemorySegment buffer;
    final long value;
    final Object argument;
    final Object attachment;
    final AioCompletion<Object> completion;
    long token;

    RemoteRequest(byte kind, int handle, MemorySegment buffer, long value, Object argument, Object attachment,
                  AioCompletion<Object> completion) {
        this.kind = kind;
        this.handle = handle;
        this.buffer = buffer;
        this.value = value;
        this.argument = argument;
        this.attachment = attachment;
        this.completion = completion;
    }

    /** Loop: submits the operation as if the loop had been called, or cancels it when closing. */
    @SuppressWarnings("unchecked") // OPEN carries its option set as Object
    void submit(UringLoop ops) {
        if (ops.isClosing()) {
            UringLoop.invoke(completion, -AioErrno.ECANCELED, attachment, ops);
            return;
        }
        switch (kind) {
            case OpSlots.READ -> ops.submitTransfer(false, handle, buffer, value, attachment, completion, token);
            case OpSlots.WRITE -> ops.submitTransfer(true, handle, buffer, value, attachment, completion, token);
            case OpSlots.FSYNC -> ops.submitFsync(handle, attachment, completion, token);
            case OpSlots.OPEN -> {
                Object[] args = (Object[]) argument;
                ops.submitOpen((Path) args[0], (Set<AioOpenOption>) args[1], attachment, completion, token);
            }
            case LISTEN -> ops.submitListen((InetSocketAddress) argument, handle, attachment, completion,
                    token);
            case OpSlots.ACCEPT -> ops.submitAccept(handle, attachment, completion, token);
            case OpSlots.CONNECT -> ops.submitConnect((InetSocketAddress) argument, attachment, completion,
                    token);
            case OpSlots.CLOSE -> ops.submitClose(handle, attachment, completion, token);
            case EVENTFD -> ops.submitEventfd(value, attachment, completion, token);
            case OpSlots.TIMEOUT -> ops.submitTimeout(value, attachment, completion, token);
            default -> throw new IllegalStateException("unknown remote op " + kind);
        }
    }
}
