package dev.aioops.vthreads;

import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOperations;

import java.lang.foreign.MemorySegment;

/**
 * The socket transfers of one facade tried on the calling thread before they go to the loop, where the adapter
 * has descriptors ({@link AioCapability#RAW_FD}: io_uring, Vert.x's shared ring): a {@code send} or {@code recv}
 * with {@code MSG_DONTWAIT} that succeeds needs no loop turn, no cross-thread hand-off, no park and no unpark, and
 * its kernel work (on loopback, the whole delivery to the peer) runs on the caller's carrier instead of the one
 * loop thread; one that would wait ({@code EAGAIN}), or a handle that is not a socket, goes to the loop as before.
 * The JDK's {@code SocketChannel} on virtual threads works the same way (try, then park on {@code EAGAIN}).
 *
 * <p><b>Descriptors.</b> A direct call uses the descriptor behind the handle outside the adapter, so it must not
 * overlap the release of that descriptor: {@link AioBlocking#close} waits for the direct calls in progress on its
 * handle's stripe ({@link CloseGuard}) before it submits the close. A close made around the facade (with
 * {@link AioOperations#close(int, Object, dev.aioops.spi.AioCompletion)} or by closing the instance) does not
 * wait for them; the class comment of {@link AioBlocking} states the rule.
 */
final class DirectTransfers {

    /** What {@link #read} and {@link #write} return when the operation must be submitted to the loop. */
    static final int SUBMIT = Integer.MIN_VALUE;

    private final AioOperations ops;
    /** Whether transfers are tried here at all. */
    private final boolean enabled;
    /** With {@link #enabled}: the direct calls in progress, for {@link #closing}; else null. */
    private final CloseGuard guard;

    /**
     * @param ops    the instance
     * @param wanted false to send every transfer to the loop
     */
    DirectTransfers(AioOperations ops, boolean wanted) {
        this.ops = ops;
        this.enabled = wanted && ops.supports(AioCapability.RAW_FD) && DirectSockets.available();
        this.guard = enabled ? new CloseGuard() : null;
    }

    /**
     * Whether transfers are tried on the calling thread.
     *
     * @return {@code true} on an adapter with descriptors, with native access, unless turned off
     */
    boolean enabled() {
        return enabled;
    }

    /**
     * Writes what the socket takes now.
     *
     * @return bytes written, {@code -errno}, or {@link #SUBMIT}
     */
    int write(int handle, MemorySegment buffer, long offset) {
        int n = tryNow(handle, buffer, offset, true);
        return n == DirectSockets.EAGAIN ? SUBMIT : n;
    }

    /**
     * Reads what the socket holds now; on a virtual thread that found nothing, tries once more after letting the
     * other virtual threads ready on its carrier run ({@link Thread#yield}): with many connections busy the peer's
     * answer has often arrived by then, and a yield costs less than a park, a loop turn, the loop's unpark and a
     * carrier wake-up. With nothing else ready the yield returns at once, and the second try costs one more
     * {@code recv} that does not wait.
     *
     * @return bytes read (0 at the end of the stream), {@code -errno}, or {@link #SUBMIT}
     */
    int read(int handle, MemorySegment buffer, long offset) {
        int n = tryNow(handle, buffer, offset, false);
        if (n == DirectSockets.EAGAIN && Thread.currentThread().isVirtual()) {
            Thread.yield();
            n = tryNow(handle, buffer, offset, false);
        }
        return n == DirectSockets.EAGAIN ? SUBMIT : n;
    }

    /** Before a close through the facade: no direct call on the handle from now until {@link #closed}. */
    void closing(int handle) {
        if (guard != null) {
            guard.closing(handle);
        }
    }

    /** After that close has completed. */
    void closed(int handle) {
        if (guard != null) {
            guard.closed(handle);
        }
    }

    /** The direct call: its result, {@link DirectSockets#EAGAIN} when it would wait, {@link #SUBMIT} if not tried. */
    private int tryNow(int handle, MemorySegment buffer, long offset, boolean write) {
        // A confined segment of another thread goes to the loop, which may use it (the kernel reads the address).
        if (!enabled || offset != AioOperations.STREAM || buffer.byteSize() == 0 || !buffer.isNative()
                || !buffer.isAccessibleBy(Thread.currentThread()) || !guard.enter(handle)) {
            return SUBMIT;
        }
        try {
            int fd;
            try {
                fd = ops.fileDescriptor(handle);
            } catch (AioException e) {
                return SUBMIT; // unknown, stale or closing: the loop completes it as the contract says
            }
            int n = write ? DirectSockets.send(fd, buffer) : DirectSockets.recv(fd, buffer);
            return n == DirectSockets.ENOTSOCK || n == DirectSockets.NOT_TRIED ? SUBMIT : n;
        } finally {
            guard.exit(handle);
        }
    }
}
