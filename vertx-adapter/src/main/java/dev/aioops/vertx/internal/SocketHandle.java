package dev.aioops.vertx.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioVector;
import dev.aioops.spi.internal.ErrnoMapping;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.DuplexChannelConfig;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;

import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.util.ArrayDeque;

/**
 * A connected TCP or Unix domain socket: Vert.x pushes data into a bounded inbound queue, and the contract's reads
 * pull it out. When more than {@link #HIGH_WATER} bytes wait unread the socket is paused (Vert.x stops reading from the
 * kernel, so TCP's window pushes back on the peer) and it resumes below {@link #LOW_WATER}. Loop thread only,
 * except {@link #localAddress}.
 */
final class SocketHandle extends AioHandle implements Canceller {

    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;
    /** The most one write copies and hands to Vert.x; a larger buffer gives a short write. */
    static final int MAX_WRITE = 256 * 1024;

    private final VertxEngine engine;
    private final NetSocketInternal socket;
    private final Channel channel;
    final SocketAddress localAddress;
    /** A Unix domain socket (on any transport): only the options that apply to one. */
    final boolean unix;
    /** Netty's own (pooled, usually direct) read buffers, each released once read out or on close. */
    private final ArrayDeque<ByteBuf> inbound = new ArrayDeque<>();
    private final ArrayDeque<Op> reads = new ArrayDeque<>();
    /**
     * Writes handed to Vert.x and not yet written out: a deadline, a cancel or a close ends one here, since Netty
     * holds its bytes for as long as the peer reads nothing.
     */
    private final ArrayDeque<Op> writes = new ArrayDeque<>();
    private int inboundBytes;
    private boolean paused;
    private boolean endOfStream;
    /** A failure to report once to a read, as Linux reports a reset once and then end of stream. */
    private int error;
    private boolean connectionClosed;
    /** Set by a shutdown of the output: later writes fail with EPIPE, as Linux fails them. */
    private boolean outputShut;
    private final Runnable onRelease;

    SocketHandle(VertxEngine engine, NetSocket socket, Runnable onRelease) {
        this.engine = engine;
        this.socket = (NetSocketInternal) socket;
        this.channel = this.socket.channelHandlerContext().channel();
        this.onRelease = onRelease;
        this.unix = channel instanceof DomainSocketChannel || channel instanceof NioDomainSocketChannel;
        // Vert.x names an unbound Unix socket by the working directory; the channel gives the JDK's empty path.
        this.localAddress = unix ? VertxSockets.toJdk(channel.localAddress())
                : VertxEngine.toJava(socket.localAddress());
        // A kernel socket that reads the peer's FIN can still write; Netty's channel closes itself unless allowed to
        // half-close, and then tells of the FIN only by a user event, which Vert.x does not pass on. (A Unix
        // channel's configuration takes it only through DuplexChannelConfig, not as an option.)
        if (channel.config() instanceof DuplexChannelConfig duplex) {
            duplex.setAllowHalfClosure(true);
        } else {
            channel.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
        }
        channel.pipeline().addFirst(new InputShutdownWatch());
        // Raw Netty buffers, not Buffers: Vert.x's data handler copies each into a new heap buffer first.
        this.socket.messageHandler(this::onMessage);
        socket.endHandler(v -> onEnd());
        socket.exceptionHandler(this::onError);
        socket.closeHandler(v -> {
            connectionClosed = true;
            onEnd();
        });
    }

    /** Tells the handle of the peer's FIN (or of its own shutdown of input), which a half-closable channel reports. */
    private final class InputShutdownWatch extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
            if (event instanceof ChannelInputShutdownEvent) {
                onEnd();
            }
            super.userEventTriggered(ctx, event);
        }
    }

    /** Loop: whether a send may still write: the connection is up and this side has not shut its output. */
    boolean canSend() {
        return !connectionClosed && !outputShut && !isClosed();
    }

    /** Loop: writes a file region through the socket's write path, queued with its writes. */
    io.vertx.core.Future<Void> writeRegion(io.netty.channel.FileRegion region) {
        return socket.writeMessage(region);
    }

    /** Any thread: the Netty channel, for options and the peer's address. */
    Channel channel() {
        return channel;
    }

    /**
     * Loop: {@code shutdown(2)} through Netty's {@link DuplexChannel}. After the input is shut, reads see end of
     * stream at once (the kernel's receive queue gives nothing more), as a kernel socket's do.
     */
    void shutdown(Op op, AioShutdown how) {
        if (connectionClosed || !(channel instanceof DuplexChannel duplex)) {
            engine.complete(op, -AioErrno.ENOTCONN);
            return;
        }
        ChannelFuture done = switch (how) {
            case READ -> duplex.shutdownInput();
            case WRITE -> duplex.shutdownOutput();
            case BOTH -> duplex.shutdown();
        };
        if (how != AioShutdown.READ) {
            outputShut = true;
        }
        done.addListener(f -> {
            engine.enter();
            try {
                engine.complete(op, f.isSuccess() ? 0 : ErrnoMapping.result(f.cause()));
                if (f.isSuccess() && how != AioShutdown.WRITE) {
                    onEnd();
                }
            } finally {
                engine.exit();
            }
        });
    }

    private void onMessage(Object message) {
        if (!(message instanceof ByteBuf data)) {
            ReferenceCountUtil.release(message);
            return;
        }
        int length = data.readableBytes();
        if (isClosed() || length == 0) {
            data.release();
            return;
        }
        inbound.add(data);
        inboundBytes += length;
        engine.buffered(length);
        if (!paused && inboundBytes >= HIGH_WATER) {
            paused = true;
            socket.pause();
        }
        engine.enter();
        try {
            serve();
        } finally {
            engine.exit();
        }
    }

    private void onEnd() {
        if (endOfStream) {
            return;
        }
        endOfStream = true;
        engine.enter();
        try {
            serve();
        } finally {
            engine.exit();
        }
    }

    private void onError(Throwable failure) {
        if (error == 0 && !endOfStream) {
            error = ErrnoMapping.result(failure);
        }
        engine.enter();
        try {
            serve();
        } finally {
            engine.exit();
        }
    }

    /** Loop: a stream read, single or vectored (then the segments are filled in order from the queue). */
    void read(Op op) {
        if (op.offset != -1) {
            engine.complete(op, -AioErrno.ESPIPE);
            return;
        }
        reads.add(op);
        op.canceller = this;
        serve();
    }

    private void serve() {
        while (!reads.isEmpty()) {
            if (inboundBytes > 0) {
                Op op = reads.poll();
                engine.complete(op, op.kind == Op.Kind.READV
                        ? VertxVectors.copyInto((AioVector) op.argument, this::copyInto) : copyInto(op.view));
            } else if (error != 0) {
                int e = error;
                error = 0;
                engine.complete(reads.poll(), e);
            } else if (endOfStream) {
                engine.complete(reads.poll(), 0);
            } else {
                break;
            }
        }
        if (paused && inboundBytes <= LOW_WATER && !isClosed()) {
            paused = false;
            socket.resume();
        }
    }

    private int copyInto(MemorySegment target) {
        long capacity = Math.min(target.byteSize(), Integer.MAX_VALUE);
        int copied = 0;
        while (copied < capacity && !inbound.isEmpty()) {
            ByteBuf head = inbound.peek();
            int n = (int) Math.min(head.readableBytes(), capacity - copied);
            head.readBytes(target.asSlice(copied, n).asByteBuffer());
            copied += n;
            if (!head.isReadable()) {
                inbound.poll().release();
            }
        }
        inboundBytes -= copied;
        engine.buffered(-copied);
        return copied;
    }

    /**
     * Loop: a stream write, single or vectored (its segments gathered in order), copied out of the caller's memory
     * into a pooled direct buffer of the channel's
     * allocator, which Netty writes to the kernel as it is and releases once written or failed. (A heap array,
     * as {@code Buffer.buffer(byte[])} gives, is garbage per write and costs NIO one more copy into a direct
     * buffer.)
     */
    void write(Op op) {
        if (op.offset != -1) {
            engine.complete(op, -AioErrno.ESPIPE);
            return;
        }
        if (connectionClosed || outputShut) {
            engine.complete(op, -AioErrno.EPIPE);
            return;
        }
        ByteBuf bytes;
        int n;
        if (op.kind == Op.Kind.WRITEV) {
            AioVector vector = (AioVector) op.argument;
            n = (int) Math.min(vector.byteSize(), MAX_WRITE);
            bytes = channel.alloc().directBuffer(n, n);
            VertxVectors.gather(vector, bytes, n);
        } else {
            n = (int) Math.min(op.view.byteSize(), MAX_WRITE);
            bytes = channel.alloc().directBuffer(n, n);
            bytes.writeBytes(op.view.asSlice(0, n).asByteBuffer());
        }
        op.canceller = this;
        writes.add(op);
        socket.writeMessage(bytes).onComplete(ar -> {
            engine.enter();
            try {
                writes.remove(op);
                if (ar.succeeded()) {
                    engine.complete(op, n);
                } else {
                    engine.complete(op, writeFailure(ar.cause()));
                }
            } finally {
                engine.exit();
            }
        });
    }

    /**
     * The errno of a failed write, as a kernel socket gives it. Vert.x closes its channel once the peer has reset
     * or ended the connection, and then fails a write as a closed channel ({@code EBADF} by type) or a plain
     * failure; the handle itself is still open, so to the caller the peer has gone: {@code EPIPE}.
     */
    static int writeFailure(Throwable cause) {
        int e = ErrnoMapping.result(cause);
        return e == -AioErrno.EIO || e == -AioErrno.EBADF ? -AioErrno.EPIPE : e;
    }

    /**
     * Withdraws a read, or gives up on a write: its bytes stay in Netty's outbound buffer and may still go out
     * (what became of them is unknown to the caller, as after a timed-out write on the JDK's channels), while
     * the operation ends now; Netty's later word on it is ignored.
     */
    @Override
    public boolean cancel(Op op) {
        return reads.remove(op) || writes.remove(op);
    }

    @Override
    void close(Runnable released) {
        markClosed();
        Op op;
        while ((op = reads.poll()) != null) {
            engine.complete(op, -AioErrno.ECANCELED);
        }
        boolean writesStalled = !writes.isEmpty();
        while ((op = writes.poll()) != null) {
            engine.complete(op, -AioErrno.ECANCELED);
        }
        ByteBuf data;
        while ((data = inbound.poll()) != null) {
            data.release();
        }
        engine.buffered(-inboundBytes);
        inboundBytes = 0;
        if (paused) {
            // Lets Vert.x hand over what it queued while paused, so that onMessage releases those buffers too.
            paused = false;
            socket.resume();
        }
        socket.close();
        if (writesStalled) {
            // Vert.x closes after its pending writes are flushed, which a peer that reads nothing never allows.
            channel.close();
        }
        onRelease.run();
        engine.sendFiles().released(this, released);
    }
}
