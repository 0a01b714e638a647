package dev.aioops.uring.internal;

import dev.aioops.spi.AioAcceptHandler;
import dev.aioops.spi.AioChunkHandler;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.internal.Checks;
import dev.aioops.spi.internal.ReadChunkStreams;
import dev.aioops.uring.ring.UringLayout;

import java.util.Objects;

/**
 * {@link dev.aioops.spi.AioReceiveOperations} of {@link UringAioOperations}: multishot receives from a provided
 * buffer ring ({@link RingChunkStreams}) and multishot accepts ({@link RingAcceptStreams}) where the kernel has
 * them, else the emulation every adapter has ({@link ReadChunkStreams}), chosen once per instance. Multishot accept
 * came in Linux 5.19 with {@code IORING_OP_SOCKET}, which the probe shows.
 *
 * <p>The kernel has them from Linux 6.0 ({@code IORING_RECV_MULTISHOT}; provided buffer rings came in 5.19). No
 * probe names a recv flag, so the probe's {@code IORING_OP_SEND_ZC}, new in the same release, stands for it.
 * {@value #PROPERTY}{@code =false} chooses the emulation (to compare them); {@value #INCREMENTAL_PROPERTY}
 * {@code =false} keeps the buffer ring from consuming buffers incrementally (Linux 6.12).
 */
final class UringReceives {

    /** The system property that turns the kernel-backed streams off. */
    static final String PROPERTY = "aioops.uring.providedBuffers";
    /** The system property that turns incremental buffer consumption off. */
    static final String INCREMENTAL_PROPERTY = "aioops.uring.incrementalBuffers";

    /** The system property that turns the kernel-backed accept streams off. */
    static final String ACCEPT_PROPERTY = "aioops.uring.multishotAccept";

    private final UringLoop loop;
    private final ReadChunkStreams emulated;
    private final boolean ringReceives;
    private final boolean ringAccepts;

    UringReceives(UringLoop loop, AioOperations owner, OpcodeSupport kernel) {
        this.loop = loop;
        AioConfig config = loop.config();
        this.ringReceives = kernel.has(UringLayout.OP_SEND_ZC) && kernel.has(UringLayout.OP_RECV)
                && !"false".equals(System.getProperty(PROPERTY));
        this.ringAccepts = kernel.has(UringLayout.OP_SOCKET) && kernel.has(UringLayout.OP_ACCEPT)
                && !"false".equals(System.getProperty(ACCEPT_PROPERTY));
        // Its buffers are allocated at its first receive stream, never when the ring serves them.
        this.emulated = new ReadChunkStreams(owner, ReadChunkStreams.URING_TOKENS, config.receiveBufferCount(),
                config.receiveBufferSize(), config.errorHandler());
    }

    /** Whether the kernel serves the streams ({@link dev.aioops.spi.AioCapability#PROVIDED_BUFFERS}). */
    boolean providedBuffers() {
        return ringReceives;
    }

    /** Whether accept streams are multishot accepts. */
    boolean multishotAccept() {
        return ringAccepts;
    }

    /** Whether {@code token} is an emulated stream's, which {@link #cancel} handles. */
    boolean owns(long token) {
        return emulated.owns(token);
    }

    void cancel(long token) {
        emulated.cancel(token);
    }

    @SuppressWarnings("unchecked")
    long start(int handle, Object attachment, AioChunkHandler<?> handler) {
        Objects.requireNonNull(handler, "handler");
        if (!ringReceives) {
            return emulated.start(handle, attachment, handler);
        }
        if (loop.isClosing()) {
            throw Checks.closed("uring");
        }
        RingChunkStreams.Stream stream = new RingChunkStreams.Stream((AioChunkHandler<Object>) handler);
        if (loop.onLoop()) {
            return loop.operations().chunkStreams().start(handle, attachment, stream, 0);
        }
        return loop.inbox().submit(new RemoteRequest((o, r) -> o.chunkStreams().start(r.handle, r.attachment,
                (RingChunkStreams.Stream) r.argument, r.token), handle, null, 0, stream, attachment, stream));
    }

    @SuppressWarnings("unchecked")
    long startAccepting(int listenHandle, Object attachment, AioAcceptHandler<?> handler) {
        Objects.requireNonNull(handler, "handler");
        if (!ringAccepts) {
            return emulated.startAccepting(listenHandle, attachment, handler);
        }
        if (loop.isClosing()) {
            throw Checks.closed("uring");
        }
        RingAcceptStreams.Stream stream = new RingAcceptStreams.Stream((AioAcceptHandler<Object>) handler);
        if (loop.onLoop()) {
            return loop.operations().acceptStreams().start(listenHandle, attachment, stream, 0);
        }
        return loop.inbox().submit(new RemoteRequest((o, r) -> o.acceptStreams().start(r.handle, r.attachment,
                (RingAcceptStreams.Stream) r.argument, r.token), listenHandle, null, 0, stream, attachment, stream));
    }

    void release(long chunk) {
        if (!ringReceives) {
            emulated.release(chunk);
        } else {
            loop.operations().chunkStreams().release(chunk);
        }
    }
}
