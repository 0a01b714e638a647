package dev.aioops.examples.resp;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
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
 * are not RESP2 or exceed {@link RespLimits}, a {@link RedisTimeoutException} when a reply is later than its
 * command's deadline. Then every pending command fails with the same exception, the connection is closed, and
 * later commands fail at once.
 *
 * <p><b>Deadlines.</b> Every command has one: {@link RedisClientConfig#commandTimeout()}, or its own
 * ({@link #command(Duration, String...)}). The read in flight carries the earliest deadline of the commands
 * awaiting a reply (SPI 2's read with {@code timeoutNanos}), so a silent server or a stalled reply is noticed by
 * the loop with no timer of the client's; the connect carries {@link RedisClientConfig#connectTimeout()}.
 *
 * <p><b>Threads.</b> Any thread may issue commands. Futures complete on the loop of the {@link AioOperations}:
 * keep dependent stages short (or use the {@code *Async} variants) and never wait for a future on the loop.
 * All connection state is confined to the loop; other threads hand their commands over with
 * {@link AioOperations#execute}.
 *
 * <p><b>Buffers.</b> A 64 KiB read buffer and a write buffer (grown to the largest batch, up to 1 MiB) come from a
 * shared {@link Arena} of the client's, freed once the connection is closed and no operation holds them; a larger
 * batch (a big {@code SET}) is written from a buffer of its own, freed when its write completes.
 */
public final class RedisClient implements AutoCloseable, CommandChannel {

    private static final int READ_BUFFER_SIZE = 64 * 1024;

    private final AioOperations ops;
    private final int handle;
    private final SocketAddress address;
    private final RespParser parser;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment readBuffer = arena.allocate(READ_BUFFER_SIZE);
    private final PendingCommands awaitingReply = new PendingCommands();
    private final Subscriptions subscriptions = new Subscriptions();
    private final RedisPubSub pubSub = new RedisPubSub(this::subscription, subscriptions::listener);
    private final RedisCommands async = new RedisCommands(this);
    private final long defaultTimeoutNanos;
    /**
     * The deadline the read in flight carries ({@link System#nanoTime()}): the earliest of what awaits a reply, or,
     * when nothing does, one default timeout from when it was armed, so that a command sent later with the default
     * timeout never has to re-arm it (a cancel and a new read per command); such a read that times out is armed
     * again.
     */
    private long readDeadline;
    private long readToken;
    private boolean reading;
    /** The read in flight was cancelled to carry an earlier deadline: its -ECANCELED re-arms it. */
    private boolean rearming;
    private final CommandWriter writer;
    private int operationsInFlight;
    /** How many commands and (un)subscribe requests were sent: each one's place in the order of replies. */
    private long sent;
    private IOException failure;
    private volatile boolean open = true;
    /** Completed with the cause, on the loop, when the connection fails or is closed. */
    private final CompletableFuture<IOException> failed = new CompletableFuture<>();

    RedisClient(AioOperations ops, int handle, SocketAddress address, RedisClientConfig config) {
        this.ops = ops;
        this.handle = handle;
        this.address = address;
        this.parser = new RespParser(config.limits());
        this.defaultTimeoutNanos = config.commandTimeout().toNanos();
        this.writer = new CommandWriter(ops, handle, arena, () -> failure != null, this::written);
    }

    static void checkTimeout(Duration timeout, String name) {
        Objects.requireNonNull(timeout, name);
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException(name + " must be positive and at most a day, not " + timeout);
        }
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
        return connect(ops, address, RedisClientConfig.DEFAULTS.withLimits(Objects.requireNonNull(limits, "limits")));
    }

    /**
     * Connects to a Redis server.
     *
     * @param ops     the operations to use; they must outlive the client
     * @param address the server's resolved address
     * @param config  limits and timeouts
     * @return the connected client, or an {@link dev.aioops.spi.AioException} ({@code ECONNREFUSED}...), or a
     *         {@link RedisTimeoutException} when the connection took longer than the connect timeout
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if {@code address} is unresolved
     * @throws IllegalStateException    if {@code ops} is closed
     */
    public static CompletableFuture<RedisClient> connect(AioOperations ops, InetSocketAddress address,
                                                         RedisClientConfig config) {
        return RedisConnector.connect(ops, RedisUri.of(address), config);
    }

    /**
     * Connects to a Redis server and introduces itself: {@code AUTH}, {@code SELECT} and
     * {@code CLIENT SETNAME} as the URI asks, pipelined, before the future completes.
     *
     * @param ops    the operations to use; they must outlive the client
     * @param uri    where and who (see {@link RedisUri#parse})
     * @param config limits and timeouts
     * @return the connected client; or an {@link dev.aioops.spi.AioException} ({@code ECONNREFUSED},
     *         {@code ENOENT} for a missing socket path...), a {@link RedisTimeoutException} when the connection or
     *         the introduction took longer than their timeouts, or an {@link IOException} saying which command
     *         Redis refused ({@code WRONGPASS}, an out-of-range database...); then the connection is closed
     * @throws NullPointerException  if an argument is null
     * @throws IllegalStateException if {@code ops} is closed
     */
    public static CompletableFuture<RedisClient> connect(AioOperations ops, RedisUri uri, RedisClientConfig config) {
        return RedisConnector.connect(ops, uri, config);
    }

    /**
     * Connects as {@link #connect(AioOperations, RedisUri, RedisClientConfig)} with {@link RedisClientConfig#DEFAULTS}.
     *
     * @param ops the operations to use; they must outlive the client
     * @param uri a {@code redis://} or {@code unix://} URI ({@link RedisUri#parse}), resolved on this thread
     * @return the connected client, or a failure as there
     * @throws IllegalArgumentException if the URI is malformed or its host cannot be resolved
     */
    public static CompletableFuture<RedisClient> connect(AioOperations ops, String uri) {
        return RedisConnector.connect(ops, RedisUri.parse(uri), RedisClientConfig.DEFAULTS);
    }

    /**
     * Sends any command, such as {@code command("HSET", "h", "f", "v")}; arguments are encoded as UTF-8.
     *
     * @param args the command name and its arguments
     * @return the reply
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if there is no argument
     */
    @Override
    public CompletableFuture<RespValue> command(String... args) {
        return send(RespEncoder.command(args), defaultTimeoutNanos, false);
    }

    /**
     * Sends any command with its own deadline instead of {@link RedisClientConfig#commandTimeout()}.
     *
     * @param timeout how long to wait for the reply; when it passes the command fails with a
     *                {@link RedisTimeoutException} and the connection is closed (see the class comment)
     * @param args    the command name and its arguments, encoded as UTF-8
     * @return the reply
     * @throws NullPointerException     if an argument is null
     * @throws IllegalArgumentException if there is no argument, or the timeout is not positive or over a day
     */
    public CompletableFuture<RespValue> command(Duration timeout, String... args) {
        checkTimeout(timeout, "timeout");
        return send(RespEncoder.command(args), timeout.toNanos(), true);
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
        return send(RespEncoder.command(args), defaultTimeoutNanos, false);
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
     * The typed API of this connection: strings, counters, keys, hashes, lists, sets, sorted sets, transactions.
     *
     * @return the typed commands (the same object every time)
     */
    public RedisCommands async() {
        return async;
    }

    /**
     * The pub/sub side of this connection: subscriptions and the listener of out-of-band messages.
     *
     * @return the connection's pub/sub commands (the same object every time)
     */
    public RedisPubSub pubSub() {
        return pubSub;
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
     * @return the address connected to: an {@link InetSocketAddress} or a {@link java.net.UnixDomainSocketAddress}
     */
    public SocketAddress address() {
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

    private CompletableFuture<RespValue> send(byte[] encoded, long timeoutNanos, boolean custom) {
        CompletableFuture<RespValue> reply = new CompletableFuture<>();
        long deadline = System.nanoTime() + timeoutNanos;
        if (ops.inLoop()) {
            sendOnLoop(encoded, reply, deadline, timeoutNanos, custom); // no task object per pipelined command
        } else if (!onLoop(() -> sendOnLoop(encoded, reply, deadline, timeoutNanos, custom))) {
            reply.completeExceptionally(new IOException("the aioops operations of this redis client are closed"));
        }
        return reply;
    }

    private void sendOnLoop(byte[] encoded, CompletableFuture<RespValue> reply, long deadline, long timeoutNanos,
                            boolean custom) {
        if (failure != null) {
            reply.completeExceptionally(failure);
        } else {
            awaitingReply.add(new PendingCommands.Command(reply, deadline, timeoutNanos, custom, ++sent));
            enqueue(encoded, deadline);
        }
    }

    /**
     * Sends encoded commands in one batch of the loop, so that nothing is sent between them (for
     * {@link RedisTransaction}).
     *
     * @param encoded the commands, RESP-encoded
     * @return one future per command
     */
    @Override
    public List<CompletableFuture<RespValue>> batch(List<byte[]> encoded) {
        List<CompletableFuture<RespValue>> replies = new java.util.ArrayList<>(encoded.size());
        long deadline = System.nanoTime() + defaultTimeoutNanos;
        for (int i = 0; i < encoded.size(); i++) {
            replies.add(new CompletableFuture<>());
        }
        if (!onLoop(() -> {
            for (int i = 0; i < encoded.size(); i++) {
                if (failure != null) {
                    replies.get(i).completeExceptionally(failure);
                } else {
                    awaitingReply.add(new PendingCommands.Command(replies.get(i), deadline, defaultTimeoutNanos,
                            false, ++sent));
                    enqueue(encoded.get(i), deadline);
                }
            }
        })) {
            IOException closed = new IOException("the aioops operations of this redis client are closed");
            replies.forEach(reply -> reply.completeExceptionally(closed));
        }
        return replies;
    }

    /** Sends a (un)subscribe command; its future completes when Redis has confirmed every channel. */
    CompletableFuture<Void> subscription(String kind, String[] channels) {
        return subscription(kind, channels, false);
    }

    /**
     * Subscribes to what a lost connection was subscribed to, counting it as subscribed at once (for
     * {@link ReconnectingRedisClient}). Loop thread only.
     */
    CompletableFuture<Void> renew(String kind, List<String> channels) {
        subscriptions.renewing(kind, channels);
        return subscription(kind, channels.toArray(String[]::new), true);
    }

    private CompletableFuture<Void> subscription(String kind, String[] channels, boolean renewal) {
        if (channels.length == 0) {
            throw new IllegalArgumentException(kind + " needs at least one channel");
        }
        String[] args = new String[channels.length + 1];
        args[0] = kind.toUpperCase(java.util.Locale.ROOT);
        System.arraycopy(channels, 0, args, 1, channels.length);
        byte[] encoded = RespEncoder.command(args);
        CompletableFuture<Void> done = new CompletableFuture<>();
        long deadline = System.nanoTime() + defaultTimeoutNanos;
        List<String> names = List.of(channels);
        if (!onLoop(() -> {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                subscriptions.await(kind, names, done, deadline, defaultTimeoutNanos, ++sent, renewal);
                enqueue(encoded, deadline);
            }
        })) {
            done.completeExceptionally(new IOException("the aioops operations of this redis client are closed"));
        }
        return done;
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

    /** Queues an encoded command for the next write; the read is re-armed if {@code deadline} is earlier. */
    private void enqueue(byte[] encoded, long deadline) {
        if (reading && !rearming && deadline - readDeadline < 0) {
            // The read in flight waits longer than this command may: it is re-armed with the earlier deadline.
            rearming = true;
            ops.cancel(readToken);
        }
        if (!writer.append(encoded)) {
            fail(AioErrno.exception(-AioErrno.ECANCELED, "write to redis at " + address));
        }
    }

    private void written(int result) {
        if (result < 0) {
            fail(AioErrno.exception(result, "write to redis at " + address));
        }
        releaseWhenIdle();
    }

    /** The pub/sub side of the connection (loop thread only), for {@link ReconnectingRedisClient}. */
    Subscriptions subscriptions() {
        return subscriptions;
    }

    /** Completes with the cause, on the loop, when the connection has failed or was closed. */
    CompletableFuture<IOException> failed() {
        return failed;
    }

    /** Starts reading replies; once, right after the connection is made. */
    void start() {
        read();
    }

    private void read() {
        long now = System.nanoTime();
        long earliest = earliestDeadline();
        readDeadline = earliest != 0 ? earliest : now + defaultTimeoutNanos;
        rearming = false;
        reading = true;
        operationsInFlight++;
        try {
            readToken = ops.read(handle, readBuffer, AioOperations.STREAM, Math.max(1, readDeadline - now), null,
                    this::received);
        } catch (IllegalStateException closed) {
            received(-AioErrno.ECANCELED, null);
        }
    }

    /**
     * After the read timed out: whether that was its idle deadline, with nothing awaiting a reply then or due with
     * it (what was sent since has a later deadline, so that the read is armed again rather than the connection
     * failed).
     */
    private boolean nothingDue() {
        long earliest = earliestDeadline();
        return earliest == 0 || earliest - readDeadline > 0;
    }

    /** The earliest deadline of the commands and subscriptions awaiting a reply, or 0 when none is. */
    private long earliestDeadline() {
        PendingCommands.Command earliest = awaitingReply.earliest();
        long subscription = subscriptions.earliestDeadline();
        if (earliest == null) {
            return subscription;
        }
        return subscription != 0 && subscription - earliest.deadline() < 0 ? subscription : earliest.deadline();
    }

    private void received(int result, Object ignored) {
        operationsInFlight--;
        reading = false;
        if (failure != null) {
            releaseWhenIdle();
            return;
        }
        if (result == -AioErrno.ECANCELED && rearming || result == -AioErrno.ETIMEDOUT && nothingDue()) {
            read();
        } else if (result == -AioErrno.ETIMEDOUT) {
            PendingCommands.Command late = awaitingReply.earliest();
            long timeout = late != null && late.deadline() == earliestDeadline() ? late.timeoutNanos()
                    : subscriptions.earliestTimeoutNanos();
            fail(new RedisTimeoutException("redis at " + address + " did not reply within "
                    + Duration.ofNanos(timeout)
                    + "; the connection is closed, since the order of later replies is lost"));
        } else if (result < 0) {
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
        if (subscriptions.offer(value) || subscriptions.refused(value, awaitingReply.oldestSequence())) {
            return;
        }
        PendingCommands.Command command = awaitingReply.poll();
        if (command == null) {
            throw new RespProtocolException("redis at " + address + " sent a reply no command asked for: " + value);
        }
        command.reply().complete(value);
    }

    private void fail(IOException cause) {
        if (failure != null) {
            return;
        }
        failure = cause;
        open = false;
        failed.complete(cause);
        awaitingReply.failAll(cause);
        subscriptions.failAll(cause);
        try {
            // Completes the pending read and write (with -ECANCELED) before it completes itself.
            ops.close(handle, null, (r, a) -> { });
        } catch (IllegalStateException closed) {
            // The operations are closing: they complete the pending read and write themselves.
        }
        releaseWhenIdle();
    }

    private void releaseWhenIdle() {
        if (failure != null && operationsInFlight == 0 && !writer.writing() && arena.scope().isAlive()) {
            arena.close();
        }
    }
}
