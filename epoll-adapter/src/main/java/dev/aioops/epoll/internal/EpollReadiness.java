package dev.aioops.epoll.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.internal.ErrnoMapping;
import dev.aioops.spi.internal.ReadinessWaits;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * The selector's readiness of stream sockets for the emulated receive streams: a wait is an operation queued with
 * the socket's reads ({@link SocketDriver#awaitReadable}), which registers {@code OP_READ} as a read would and
 * completes when the selector reports it, without a buffer; a read now is one non-blocking {@code read} of the
 * socket's channel on the loop. Cancels, handle closes and the instance's close treat a wait as a read.
 */
final class EpollReadiness implements ReadinessWaits {

    private final EpollAioOperations ops;
    private final HandleTable handles;

    EpollReadiness(EpollAioOperations ops, HandleTable handles) {
        this.ops = ops;
        this.handles = handles;
    }

    @Override
    public long awaitReadable(int handle, AioCompletion<Object> completion) {
        return ops.awaitReadable(handle, completion);
    }

    @Override
    public int readNow(int handle, MemorySegment into) {
        switch (handles.get(handle)) {
            case SocketResource s -> {
                try {
                    int n = s.channel.read(Buffers.view(into));
                    return n > 0 ? n : n == 0 ? -AioErrno.EAGAIN : 0;
                } catch (IOException | RuntimeException e) {
                    return ErrnoMapping.result(e);
                }
            }
            case null -> {
                return -AioErrno.EBADF;
            }
            default -> {
                return -AioErrno.ENOTSOCK;
            }
        }
    }
}
