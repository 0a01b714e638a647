package dev.aioops.vertx;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOpenOption;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.ContextInternal;

import java.lang.foreign.MemorySegment;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * The operations of a {@link VertxAioOperations} as Vert.x {@link Future}s, for code that composes futures
 * rather than passing callbacks. A future succeeds with the operation's non-negative result and fails with an
 * {@link AioException} carrying the errno otherwise; its handlers run on the instance's context.
 *
 * <p>Buffers follow the contract: a buffer belongs to the adapter until its future completes. Futures cannot
 * be cancelled; use {@link VertxAioOperations} directly for tokens. Thread-safe, like the instance.
 */
public final class VertxAioFutures {

    private static final Completer READ = new Completer("read");
    private static final Completer WRITE = new Completer("write");
    private static final Completer FSYNC = new Completer("fsync");
    private static final Completer OPEN = new Completer("open");
    private static final Completer LISTEN = new Completer("listen");
    private static final Completer ACCEPT = new Completer("accept");
    private static final Completer CONNECT = new Completer("connect");
    private static final Completer CLOSE = new Completer("close");
    private static final Completer EVENTFD = new Completer("eventfd");
    private static final Completer TIMEOUT = new Completer("timeout");

    private final VertxAioOperations ops;
    private final ContextInternal context;

    /**
     * A bridge for one instance.
     *
     * @param ops the instance whose operations the futures stand for
     */
    public VertxAioFutures(VertxAioOperations ops) {
        this.ops = Objects.requireNonNull(ops, "ops");
        this.context = (ContextInternal) ops.context();
    }

    /**
     * {@link VertxAioOperations#read}.
     *
     * @param handle a handle of the instance
     * @param buffer native memory, the adapter's until the future completes
     * @param offset a file position, or {@link dev.aioops.spi.AioOperations#STREAM}
     * @return the number of bytes read, 0 at end of file or stream
     */
    public Future<Integer> read(int handle, MemorySegment buffer, long offset) {
        Promise<Integer> p = context.promise();
        ops.read(handle, buffer, offset, p, READ);
        return p.future();
    }

    /**
     * {@link VertxAioOperations#write}.
     *
     * @param handle a handle of the instance
     * @param buffer native memory, the adapter's until the future completes
     * @param offset a file position, or {@link dev.aioops.spi.AioOperations#STREAM}
     * @return the number of bytes written, possibly short on streams
     */
    public Future<Integer> write(int handle, MemorySegment buffer, long offset) {
        Promise<Integer> p = context.promise();
        ops.write(handle, buffer, offset, p, WRITE);
        return p.future();
    }

    /**
     * {@link VertxAioOperations#fsync}.
     *
     * @param handle a file handle
     * @return 0
     */
    public Future<Integer> fsync(int handle) {
        Promise<Integer> p = context.promise();
        ops.fsync(handle, p, FSYNC);
        return p.future();
    }

    /**
     * {@link VertxAioOperations#open}.
     *
     * @param path    the file
     * @param options how to open it
     * @return the new handle
     */
    public Future<Integer> open(Path path, Set<AioOpenOption> options) {
        Promise<Integer> p = context.promise();
        ops.open(path, options, p, OPEN);
        return p.future();
    }

    /**
     * {@link VertxAioOperations#listen}.
     *
     * @param address a resolved {@link java.net.InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}
     * @param backlog the accept backlog
     * @return the listening handle
     */
    public Future<Integer> listen(SocketAddress address, int backlog) {
        Promise<Integer> p = context.promise();
        ops.listen(address, backlog, p, LISTEN);
        return p.future();
    }

    /**
     * {@link VertxAioOperations#accept}.
     *
     * @param listenHandle a listening handle
     * @return the accepted connection's handle
     */
    public Future<Integer> accept(int listenHandle) {
        Promise<Integer> p = context.promise();
        ops.accept(listenHandle, p, ACCEPT);
        return p.future();
    }

    /**
     * {@link VertxAioOperations#connect}.
     *
     * @param address a resolved {@link java.net.InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}
     * @return the connected socket's handle
     */
    public Future<Integer> connect(SocketAddress address) {
        Promise<Integer> p = context.promise();
        ops.connect(address, p, CONNECT);
        return p.future();
    }

    /**
     * {@link VertxAioOperations#close(int, Object, AioCompletion)}.
     *
     * @param handle a handle of the instance
     * @return 0
     */
    public Future<Integer> close(int handle) {
        Promise<Integer> p = context.promise();
        ops.close(handle, p, CLOSE);
        return p.future();
    }

    /**
     * {@link VertxAioOperations#eventfd}.
     *
     * @param initialValue the counter's initial value
     * @return the new handle
     */
    public Future<Integer> eventfd(long initialValue) {
        Promise<Integer> p = context.promise();
        ops.eventfd(initialValue, p, EVENTFD);
        return p.future();
    }

    /**
     * {@link VertxAioOperations#timeout}.
     *
     * @param nanos the delay
     * @return 0 once the delay has passed
     */
    public Future<Integer> timeout(long nanos) {
        Promise<Integer> p = context.promise();
        ops.timeout(nanos, p, TIMEOUT);
        return p.future();
    }

    /** Completes the promise passed as attachment; one shared instance per operation kind, so no allocation. */
    private record Completer(String operation) implements AioCompletion<Promise<Integer>> {
        @Override
        public void completed(int result, Promise<Integer> promise) {
            if (result >= 0) {
                promise.complete(result);
            } else {
                promise.fail(AioErrno.exception(result, operation));
            }
        }
    }
}
