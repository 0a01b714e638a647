package dev.aioops.epoll.internal;

import dev.aioops.linux.internal.JdkSocketOptions;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.internal.ErrnoMapping;
import dev.aioops.spi.internal.SocketChecks;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;

/**
 * TCP and Unix domain sockets on the selector: every socket non-blocking; a read, write or accept is tried at once
 * when nothing is queued before it, and otherwise (or when it would block) queued on its socket and retried on
 * readiness. Interest in readiness is registered only while something waits. A Unix socket is a channel of
 * {@link StandardProtocolFamily#UNIX}, without {@code TCP_NODELAY} and {@code SO_REUSEADDR} (the JDK offers neither
 * for it). Loop-confined.
 */
final class SocketDriver implements OpCanceller {

    private static final int WOULD_BLOCK = Integer.MIN_VALUE;

    private final Selector selector;
    private final HandleTable handles;
    private final CompletionQueue completions;
    private final Consumer<Throwable> errors;
    private final SendFileDriver sendFiles;

    SocketDriver(Selector selector, HandleTable handles, CompletionQueue completions, FileDriver files,
                 Consumer<Throwable> errors) {
        this.selector = selector;
        this.handles = handles;
        this.completions = completions;
        this.errors = errors;
        this.sendFiles = new SendFileDriver(this, files, handles, completions);
    }

    /** The zero-copy sends, which take a socket's output from its writes while they run. */
    SendFileDriver sendFiles() {
        return sendFiles;
    }

    /** Starts a read or write on a connected socket. */
    void transfer(SocketResource s, Op op) {
        if (op.offset != AioOperations.STREAM) {
            completions.finish(op, -AioErrno.ESPIPE);
            return;
        }
        OpList queue = op.kind == Op.READ ? s.readers : s.writers;
        if (queue.isEmpty() && (op.kind == Op.READ || s.sending == null)) {
            int result = attempt(s, op);
            if (result != WOULD_BLOCK) {
                completions.finish(op, result);
                return;
            }
        }
        op.canceller = this;
        queue.add(op);
        updateInterest(s);
    }

    /**
     * Queues a readiness wait with the socket's reads: it completes with 0 when the selector finds the socket
     * readable (or a shutdown pumps the reads), never at once, so that it holds no buffer and reads nothing.
     */
    void awaitReadable(SocketResource s, Op op) {
        op.canceller = this;
        s.readers.add(op);
        updateInterest(s);
    }

    private static int attempt(SocketResource s, Op op) {
        if (op.kind == Op.AWAIT_READABLE) {
            return 0;
        }
        if (op.kind == Op.WRITE && s.outputShut) {
            return -AioErrno.EPIPE;
        }
        try {
            if (op.vector != null) {
                return attemptVectored(s, op);
            }
            ByteBuffer buffer = op.view;
            if (buffer == null) {
                // Kept across attempts: an attempt that would block transferred nothing.
                buffer = Buffers.view(op.buffer);
                op.view = buffer;
            }
            if (!buffer.hasRemaining()) {
                return 0;
            }
            int n = op.kind == Op.READ ? s.channel.read(buffer) : s.channel.write(buffer);
            if (n == 0) {
                return WOULD_BLOCK;
            }
            return Math.max(n, 0);
        } catch (IOException | RuntimeException e) {
            return ErrnoMapping.result(e);
        }
    }

    /** The scattering or gathering form of {@link #attempt}, with the JDK's {@code readv}/{@code writev}. */
    private static int attemptVectored(SocketResource s, Op op) throws IOException {
        ByteBuffer[] buffers = op.views;
        if (buffers == null) {
            // Kept across attempts like a single buffer's view; their positions record what moved.
            buffers = Buffers.views(op.vector);
            op.views = buffers;
        }
        long n = op.kind == Op.READ ? s.channel.read(buffers) : s.channel.write(buffers);
        if (n == 0) {
            return WOULD_BLOCK;
        }
        return (int) Math.max(n, 0);
    }

    /**
     * Half- or fully closes a connection; reads waiting on it then see end of stream, writes {@code EPIPE}. The
     * {@code how} is {@link AioShutdown}'s ordinal in {@link Op#offset}.
     */
    void shutdown(Op op) {
        switch (handles.get(op.handle)) {
            case SocketResource s -> {
                AioShutdown how = AioShutdown.values()[(int) op.offset];
                try {
                    if (s.connectOp != null || !s.channel.isConnected()) {
                        completions.finish(op, -AioErrno.ENOTCONN);
                        return;
                    }
                    if (how != AioShutdown.WRITE) {
                        s.channel.shutdownInput();
                    }
                    if (how != AioShutdown.READ) {
                        s.channel.shutdownOutput();
                        s.outputShut = true;
                    }
                    completions.finish(op, 0);
                } catch (IOException | RuntimeException e) {
                    completions.finish(op, ErrnoMapping.result(e));
                }
                pump(s, s.readers);
                pumpWriters(s);
                updateInterest(s);
            }
            // As Linux: shutdown(2) of a listening socket is ENOTCONN.
            case ListenResource l -> completions.finish(op, -AioErrno.ENOTCONN);
            case null -> completions.finish(op, -AioErrno.EBADF);
            default -> completions.finish(op, -AioErrno.ENOTSOCK);
        }
    }

    /** Binds and listens; completes with the new handle. */
    void listen(Op op) {
        ServerSocketChannel channel = null;
        try {
            boolean unix = op.address instanceof UnixDomainSocketAddress;
            int refused = SocketChecks.listenRefusal(op.address, op.listenOptions);
            if (refused != 0) {
                completions.finish(op, refused);
                return;
            }
            channel = unix ? ServerSocketChannel.open(StandardProtocolFamily.UNIX) : ServerSocketChannel.open();
            if (SocketChecks.defaultReuseAddress(op.address, op.listenOptions)) {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            }
            JdkSocketOptions.setAll(channel, op.listenOptions);
            channel.bind(op.address, op.backlog);
            channel.configureBlocking(false);
            int handle = handles.add(new ListenResource(channel, unix));
            if (handle < 0) {
                Quietly.close(channel);
            }
            completions.finish(op, HandleTable.resultOf(handle));
        } catch (IOException | RuntimeException e) {
            Quietly.close(channel);
            completions.finish(op, ErrnoMapping.result(e));
        }
    }

    /** Starts an accept on the listener {@link Op#handle} names. */
    void accept(Op op) {
        switch (handles.get(op.handle)) {
            case ListenResource l -> accept(l, op);
            case SocketResource s -> completions.finish(op, -AioErrno.EINVAL);
            case null -> completions.finish(op, -AioErrno.EBADF);
            default -> completions.finish(op, -AioErrno.ENOTSOCK);
        }
    }

    private void accept(ListenResource l, Op op) {
        if (l.acceptors.isEmpty()) {
            int result = acceptOne(l);
            if (result != WOULD_BLOCK) {
                completions.finish(op, result);
                return;
            }
        }
        op.canceller = this;
        l.acceptors.add(op);
        updateInterest(l);
    }

    private int acceptOne(ListenResource l) {
        SocketChannel channel = null;
        try {
            channel = l.channel.accept();
            if (channel == null) {
                return WOULD_BLOCK;
            }
            channel.configureBlocking(false);
            if (!l.unix) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            int handle = handles.add(new SocketResource(channel, l.unix));
            if (handle < 0) {
                Quietly.close(channel);
            }
            return HandleTable.resultOf(handle);
        } catch (IOException | RuntimeException e) {
            Quietly.close(channel);
            return ErrnoMapping.result(e);
        }
    }

    /** Starts a connection; the socket gets a handle only once connected. */
    void connect(Op op) {
        SocketChannel channel = null;
        try {
            boolean unix = op.address instanceof UnixDomainSocketAddress;
            channel = unix ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
            channel.configureBlocking(false);
            if (!unix) {
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            SocketResource s = new SocketResource(channel, unix);
            if (channel.connect(op.address)) {
                connected(op, s);
                return;
            }
            s.connectOp = op;
            op.resource = s;
            op.canceller = this;
            updateInterest(s);
        } catch (IOException | RuntimeException e) {
            Quietly.close(channel);
            completions.finish(op, ErrnoMapping.result(e));
        }
    }

    private void connected(Op op, SocketResource s) {
        int handle = handles.add(s);
        if (handle < 0) {
            close(s);
        }
        completions.finish(op, HandleTable.resultOf(handle));
    }

    /**
     * Withdraws a pending connect, read, write or accept.
     *
     * @param op a pending socket operation
     */
    @Override
    public void cancel(Op op) {
        if (op.kind == Op.CONNECT) {
            SocketResource s = (SocketResource) op.resource;
            s.connectOp = null;
            op.resource = null;
            close(s);
            completions.finish(op, -AioErrno.ECANCELED);
            return;
        }
        if (op.list != null) {
            op.list.remove(op);
            completions.finish(op, -AioErrno.ECANCELED);
            switch (handles.get(op.handle)) {
                case SocketResource s -> updateInterest(s);
                case ListenResource l -> updateInterest(l);
                case null, default -> {
                }
            }
        }
    }

    /**
     * Closes a socket whose handle is gone: its sends, reads and writes complete first; the close completes with 0
     * now, or once a send's step on the file pool is back ({@link SendFileDriver#socketClosing}).
     */
    void closeHandle(SocketResource s, Op closeOp) {
        boolean afterStep = sendFiles.socketClosing(s, closeOp);
        cancelAll(s.readers);
        cancelAll(s.writers);
        if (afterStep) {
            if (s.key != null) {
                s.key.cancel();
            }
            return;
        }
        close(s);
        completions.finish(closeOp, 0);
    }

    /**
     * Instance close: completes everything waiting on a socket with {@code -ECANCELED}, then closes it, unless a
     * send's step still on a pool thread closes it when it returns.
     */
    void cancelAndClose(SocketResource s) {
        cancelAll(s.readers);
        cancelAll(s.writers);
        if (sendFiles.leftToStep(s)) {
            if (s.key != null) {
                s.key.cancel();
            }
            return;
        }
        close(s);
    }

    /** Completes every accept waiting on a listener with {@code -ECANCELED}, then closes it. */
    void cancelAndClose(ListenResource l) {
        cancelAll(l.acceptors);
        if (l.key != null) {
            l.key.cancel();
        }
        Quietly.close(l.channel);
    }

    private void cancelAll(OpList list) {
        Op op;
        while ((op = list.poll()) != null) {
            completions.finish(op, -AioErrno.ECANCELED);
        }
    }

    private static void close(SocketResource s) {
        if (s.key != null) {
            s.key.cancel();
        }
        Quietly.close(s.channel);
    }

    /** Selector callback: performs what the readiness of one key allows. */
    void onKey(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        int ready = key.readyOps();
        switch (key.attachment()) {
            case SocketResource s -> {
                if ((ready & SelectionKey.OP_CONNECT) != 0 && s.connectOp != null) {
                    finishConnect(s);
                }
                if ((ready & SelectionKey.OP_READ) != 0) {
                    pump(s, s.readers);
                }
                if ((ready & SelectionKey.OP_WRITE) != 0) {
                    if (s.sending != null) {
                        sendFiles.writable(s); // a send on the pool left no write interest; only a waiting one
                    } else {
                        pumpWriters(s);
                    }
                }
                if (key.isValid()) {
                    updateInterest(s);
                }
            }
            case ListenResource l -> {
                Op op;
                while ((op = l.acceptors.peek()) != null) {
                    int result = acceptOne(l);
                    if (result == WOULD_BLOCK) {
                        break;
                    }
                    l.acceptors.poll();
                    completions.finish(op, result);
                }
                if (key.isValid()) {
                    updateInterest(l);
                }
            }
            default -> {
            }
        }
    }

    private void pump(SocketResource s, OpList queue) {
        Op op;
        while ((op = queue.peek()) != null) {
            int result = attempt(s, op);
            if (result == WOULD_BLOCK) {
                return;
            }
            queue.poll();
            completions.finish(op, result);
        }
    }

    /** Writes what the socket takes, in order; a send that reaches the head takes the output. */
    private void pumpWriters(SocketResource s) {
        Op op;
        while (s.sending == null && (op = s.writers.peek()) != null) {
            if (op.kind == Op.SENDFILE) {
                s.writers.poll();
                sendFiles.begin(op);
                return;
            }
            int result = attempt(s, op);
            if (result == WOULD_BLOCK) {
                return;
            }
            s.writers.poll();
            completions.finish(op, result);
        }
    }

    /** A send gave the output back: the writes and sends queued behind it go on. */
    void resumeWriters(SocketResource s) {
        pumpWriters(s);
        updateInterest(s);
    }

    private void finishConnect(SocketResource s) {
        Op op = s.connectOp;
        try {
            if (s.channel.finishConnect()) {
                s.connectOp = null;
                op.resource = null;
                connected(op, s);
            }
        } catch (IOException | RuntimeException e) {
            s.connectOp = null;
            op.resource = null;
            close(s);
            completions.finish(op, ErrnoMapping.result(e));
        }
    }

    void updateInterest(SocketResource s) {
        s.key = interest(s.channel, s.key, s.interest(), s);
    }

    private void updateInterest(ListenResource l) {
        l.key = interest(l.channel, l.key, l.interest(), l);
    }

    private SelectionKey interest(SelectableChannel channel, SelectionKey key, int ops, Resource r) {
        try {
            if (key == null) {
                return ops == 0 ? null : channel.register(selector, ops, r);
            }
            if (key.isValid() && key.interestOps() != ops) {
                key.interestOps(ops);
            }
            return key;
        } catch (IOException | RuntimeException e) {
            errors.accept(e);
            return key;
        }
    }
}
