package dev.aioops.examples.resp;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioTransfers;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A Redis client on one connection, its network I/O performed by an {@link AioOperations}.
 *
 * <p><b>Pipelining.</b> Commands are written as they are issued, without waiting for earlier replies; commands
 * issued while a write is in flight are written together by the next one. Redis answers in order, so the n-th
 * reply completes the n-th command. Commands issued from one thread are sent in the order issued; the order
 * between threads is the order in which they reach the loop.
 *
 * <p><b>Results.</b> Every command returns a future of its {@link RespValue}. A Redis error ({@code -ERR},
 * {@code -WRONGTYPE}...) is a {@link RespValue.Error} value: the future completes normally. The future completes
 * exceptionally only when the connection fails: an {@link dev.aioops.spi.AioException} from the network, an
 * {@link IOException} when the server closes the connection, a {@link RespProtocolException} when its bytes
 * are not RESP2 or exceed {@link RespLimits}. Then every pending command fails with the same exception, the
 * connection is closed, and later commands fail at once.
 *
 * <p><b>Threads.</b> Any thread may issue commands. Futures complete on the loop of the {@link AioOperations}:
 * keep dependent stages short (or use the {@code *Async} variants) and never wait for a future on the loop.
 * All connection state is confined to the loop; other threads hand their commands over with
 * {@link AioOperations#execute}.
 *
 * <p><b>Buffers.</b> A 64 KiB read buffer and a write buffer (grown to the largest batch) come from a shared
 * {@link Arena} of the client's, freed once the connection is closed and no operation holds them.
 */
public final class RedisClient implements AutoCloseable {

    private static final int READ_BUFFER_SIZE = 64 * 1024;

    private final AioOperations ops;
    private final int handle;
    private final InetSocketAddress address;
    private final RespParser parser;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readBuffer = arena.allocate(READ_BUFFER_SIZE);
    private final ArrayDeque<CompletableFuture<RespValue>> awaitingReply = new ArrayDeque<>();
    private MemorySegment writeBuffer = arena.allocate(16 * 1024);
    private byte[] outbox = new byte[4096];
    private int outboxLength;
    private boolean writing;
    private boolean flushScheduled;
    private int operationsInFlight;
    private IOException failure;
    private volatile boolean open = true;

    private RedisClient(AioOperations ops, int handle, InetSocketAddress address, RespLimits limits) {
        this.ops = ops;
        this.handle = handle;
        this.address = address;
        this.parser = new RespParser(limits);
    }

    /**
     * Connects to a Redis server with {@link RespLimits#DEFAULTS}.
     *
     * @param ops     the operations to use; they must outlive the client
     * @param address the server's resolved address
     * @return the connected client, or an {@link dev.aioops.spi.AioException} ({@code ECONNREFUSED}...)
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code address} is unresolved
     * @throws IllegalStateException    if {@code ops} is closed
     */
    public static CompletableFuture<RedisClient> connect(AioOperations ops, InetSocketAddress address) {
        return connect(ops, address, RespLimits.DEFAULTS);
    }

    /**
     * Connects to a Redis server.
     *
     * @param ops     the operations to use; they must outlive the client
     * @param address the server's resolved address
     * @param limits  bounds on what the server may send
     * @return the connected client, or an {@link dev.aioops.spi.AioException} ({@code ECONNREFUSED}...)
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code address} is unresolved
     * @throws IllegalStateException    if {@code ops} is closed
     */
    public static CompletableFuture<RedisClient> connect(AioOperations ops, InetSocketAddress address,
                                                         RespLimits limits) {
        Objects.requireNonNull(ops, "ops");
        Objects.requireNonNull(limits, "limits");
        CompletableFuture<RedisClient> connected = new CompletableFuture<>();
        ops.connect(address, null, (handle, ignored) -> {
            if (handle < 0) {
                connected.completeExceptionally(AioErrno.exception(handle, "connect to redis at " + address));
                return;
            }
            RedisClient client = new RedisClient(ops, handle, address, limits);
            client.read();
            connected.complete(client);
        });
        return connected;
    }

    /**
     * Sends any command, such as {@code command("HSET", "h", "f", "v")}; arguments are encoded as UTF-8.
     *
     * @param args the command name and its arguments
     * @return the reply
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if there is no argument
     */
    public CompletableFuture<RespValue> command(String... args) {
        return send(RespEncoder.command(args));
    }

    /**
     * Sends any command with binary-safe arguments.
     *
     * @param args the command name and its arguments; not modified, not kept
     * @return the reply
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if there is no argument
     */
    public CompletableFuture<RespValue> command(byte[]... args) {
        return send(RespEncoder.command(args));
    }

    /**
     * {@code PING}.
     *
     * @return {@code +PONG}
     */
    public CompletableFuture<RespValue> ping() {
        return command("PING");
    }

    /**
     * {@code GET key}.
     *
     * @param key the key
     * @return the value as a {@link RespValue.BulkString}, {@link RespValue.Null} when absent, or an error value
     *         ({@code WRONGTYPE}) when the key holds no string
     */
    public CompletableFuture<RespValue> get(String key) {
        return command("GET", key);
    }

    /**
     * {@code SET key value}.
     *
     * @param key   the key
     * @param value the text, stored as UTF-8
     * @return {@code +OK}
     */
    public CompletableFuture<RespValue> set(String key, String value) {
        return command("SET", key, value);
    }

    /**
     * {@code SET key value} with a binary value.
     *
     * @param key   the key
     * @param value the bytes; not modified, not kept
     * @return {@code +OK}
     */
    public CompletableFuture<RespValue> set(String key, byte[] value) {
        return command(RespEncoder.utf8("SET"), RespEncoder.utf8(key), value);
    }

    /**
     * {@code DEL key...}.
     *
     * @param keys at least one key
     * @return the number of keys removed, as a {@link RespValue.Integer}
     */
    public CompletableFuture<RespValue> del(String... keys) {
        return command(prepend("DEL", keys));
    }

    /**
     * {@code INCR key}.
     *
     * @param key the key
     * @return the new value as a {@link RespValue.Integer}, or an error value when it holds no integer
     */
    public CompletableFuture<RespValue> incr(String key) {
        return command("INCR", key);
    }

    /**
     * {@code MGET key...}.
     *
     * @param keys at least one key
     * @return a {@link RespValue.Array} with a bulk string or {@link RespValue.Null} per key
     */
    public CompletableFuture<RespValue> mget(String... keys) {
        return command(prepend("MGET", keys));
    }

    /**
     * {@code EXPIRE key seconds}.
     *
     * @param key     the key
     * @param seconds the time to live
     * @return {@code :1} if set, {@code :0} if the key does not exist
     */
    public CompletableFuture<RespValue> expire(String key, long seconds) {
        return command("EXPIRE", key, Long.toString(seconds));
    }

    /**
     * Whether the connection is still usable: neither closed nor failed. Any thread.
     *
     * @return {@code true} while commands can succeed
     */
    public boolean isOpen() {
        return open;
    }

    /**
     * The server's address.
     *
     * @return the address connected to
     */
    public InetSocketAddress address() {
        return address;
    }

    /**
     * Closes the connection without waiting: commands still awaiting their reply fail with an
     * {@link IOException}, and so do later ones. Idempotent; any thread. Wait for the replies you need first.
     */
    @Override
    public void close() {
        onLoop(() -> fail(new IOException("the redis client was closed")));
    }

    private static String[] prepend(String name, String[] keys) {
        if (keys.length == 0) {
            throw new IllegalArgumentException(name + " needs at least one key");
        }
        String[] args = new String[keys.length + 1];
        args[0] = name;
        System.arraycopy(keys, 0, args, 1, keys.length);
        return args;
    }

    private CompletableFuture<RespValue> send(byte[] encoded) {
        CompletableFuture<RespValue> reply = new CompletableFuture<>();
        if (!onLoop(() -> enqueue(encoded, reply))) {
            reply.completeExceptionally(new IOException("the aioops operations of this redis client are closed"));
        }
        return reply;
    }

    /** Runs a task on the loop: now if this is the loop, else through execute. False if the ops are closed. */
    private boolean onLoop(Runnable task) {
        if (ops.inLoop()) {
            task.run();
            return true;
        }
        try {
            ops.execute(task);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    // Everything below runs on the loop.

    private void enqueue(byte[] encoded, CompletableFuture<RespValue> reply) {
        if (failure != null) {
            reply.completeExceptionally(failure);
            return;
        }
        if (outboxLength + encoded.length > outbox.length) {
            outbox = Arrays.copyOf(outbox, Math.max(outbox.length * 2, outboxLength + encoded.length));
        }
        System.arraycopy(encoded, 0, outbox, outboxLength, encoded.length);
        outboxLength += encoded.length;
        awaitingReply.add(reply);
        if (!writing && !flushScheduled) {
            // Later in this loop turn, so that every command issued in the turn goes out in one write.
            flushScheduled = true;
            if (!onLoopLater(this::flush)) {
                fail(AioErrno.exception(-AioErrno.ECANCELED, "write to redis at " + address));
            }
        }
    }

    private boolean onLoopLater(Runnable task) {
        try {
            ops.execute(task);
            return true;
        } catch (IllegalStateException closed) {
            return false;
        }
    }

    private void flush() {
        flushScheduled = false;
        if (failure != null || writing || outboxLength == 0) {
            return;
        }
        if (writeBuffer.byteSize() < outboxLength) {
            // The old buffer is idle (no write in flight); it stays in the arena until the client is freed.
            writeBuffer = arena.allocate(Math.max(writeBuffer.byteSize() * 2, outboxLength));
        }
        MemorySegment batch = writeBuffer.asSlice(0, outboxLength);
        MemorySegment.copy(outbox, 0, batch, ValueLayout.JAVA_BYTE, 0, outboxLength);
        outboxLength = 0;
        writing = true;
        operationsInFlight++;
        try {
            AioTransfers.writeFully(ops, handle, batch, AioOperations.STREAM, null, this::written);
        } catch (IllegalStateException closed) {
            written(-AioErrno.ECANCELED, null);
        }
    }

    private void written(int result, Object ignored) {
        operationsInFlight--;
        writing = false;
        if (result < 0) {
            fail(AioErrno.exception(result, "write to redis at " + address));
        } else if (failure == null && outboxLength > 0) {
            flush();
        }
        releaseWhenIdle();
    }

    private void read() {
        operationsInFlight++;
        try {
            ops.read(handle, readBuffer, AioOperations.STREAM, null, this::received);
        } catch (IllegalStateException closed) {
            received(-AioErrno.ECANCELED, null);
        }
    }

    private void received(int result, Object ignored) {
        operationsInFlight--;
        if (failure != null) {
            releaseWhenIdle();
            return;
        }
        if (result < 0) {
            fail(AioErrno.exception(result, "read from redis at " + address));
        } else if (result == 0) {
            fail(new IOException("redis at " + address + " closed the connection"));
        } else {
            try {
                parser.feed(readBuffer.asSlice(0, result), this::replied);
                if (failure == null) { // a completed reply's dependent stage may have closed the client
                    read();
                }
            } catch (RespProtocolException e) {
                fail(e);
            }
        }
        releaseWhenIdle();
    }

    private void replied(RespValue value) throws RespProtocolException {
        CompletableFuture<RespValue> reply = awaitingReply.poll();
        if (reply == null) {
            throw new RespProtocolException("redis at " + address + " sent a reply no command asked for: " + value);
        }
        reply.complete(value);
    }

    private void fail(IOException cause) {
        if (failure != null) {
            return;
        }
        failure = cause;
        open = false;
        CompletableFuture<RespValue> reply;
        while ((reply = awaitingReply.poll()) != null) {
            reply.completeExceptionally(cause);
        }
        try {
            // Completes the pending read and write (with -ECANCELED) before it completes itself.
            ops.close(handle, null, (r, a) -> { });
        } catch (IllegalStateException closed) {
            // The operations are closing: they complete the pending read and write themselves.
        }
        releaseWhenIdle();
    }

    private void releaseWhenIdle() {
        if (failure != null && operationsInFlight == 0 && arena.scope().isAlive()) {
            arena.close();
        }
    }
}
