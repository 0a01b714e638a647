package dev.aioops.examples.resp;

import dev.aioops.spi.AioOperations;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Redis client that reconnects: it keeps one {@link RedisClient} connected to a {@link RedisUri} and, when that
 * connection fails, makes another after a backoff with jitter ({@link ReconnectPolicy}), with the same
 * introduction ({@code AUTH}, {@code SELECT}, {@code CLIENT SETNAME}, {@code HELLO}). Commands in flight when the
 * connection fails fail with it (whether Redis ran them is unknown); a command issued while disconnected waits for
 * the next connection for at most {@link ReconnectPolicy#waitWhileDisconnected()} (and at most
 * {@link ReconnectPolicy#maxWaiting()} of them), then fails with an {@link IOException}: never without bound.
 * Subscriptions are not renewed on a new connection.
 *
 * <p>Any thread; state is confined to the loop of the {@link AioOperations}, and the reconnect timer is the
 * contract's {@code timeout}.
 */
public final class ReconnectingRedisClient implements AutoCloseable, CommandChannel {

    /** A command issued while disconnected. */
    private record Waiting(byte[][] encodedBatch, List<CompletableFuture<RespValue>> replies, long deadline) {
    }

    private final AioOperations ops;
    private final RedisUri uri;
    private final RedisClientConfig config;
    private final ReconnectPolicy policy;
    private final RedisCommands async = new RedisCommands(this);
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private volatile RedisClient current;
    private volatile boolean closed;
    private int attempt;
    private long sweepTimer;
    private long reconnectTimer;
    private volatile long reconnects;

    private ReconnectingRedisClient(AioOperations ops, RedisUri uri, RedisClientConfig config, ReconnectPolicy policy) {
        this.ops = ops;
        this.uri = uri;
        this.config = config;
        this.policy = policy;
    }

    /**
     * Connects; the first connection must succeed (a wrong address or password is reported, not retried).
     *
     * @param ops    the operations to use; they must outlive the client
     * @param uri    where and who
     * @param config limits, timeouts and protocol
     * @param policy when to reconnect and how long commands wait meanwhile
     * @return the connected client, or the first connection's failure
     * @throws NullPointerException  if an argument is null
     * @throws IllegalStateException if {@code ops} is closed
     */
    public static CompletableFuture<ReconnectingRedisClient> connect(AioOperations ops, RedisUri uri,
                                                                     RedisClientConfig config, ReconnectPolicy policy) {
        ReconnectingRedisClient client = new ReconnectingRedisClient(Objects.requireNonNull(ops, "ops"),
                Objects.requireNonNull(uri, "uri"), Objects.requireNonNull(config, "config"),
                Objects.requireNonNull(policy, "policy"));
        return RedisConnector.connect(ops, uri, config).thenApply(first -> {
            client.connected(first);
            return client;
        });
    }

    /**
     * Sends a command on the current connection, or waits for the next one as the policy says.
     *
     * @param args the command name and its arguments, encoded as UTF-8
     * @return the reply, as {@link RedisClient#command(String...)}; or an {@link IOException} when the client is
     *         closed or disconnected longer than the policy lets a command wait
     */
    @Override
    public CompletableFuture<RespValue> command(String... args) {
        RedisClient client = current;
        if (client != null && client.isOpen()) {
            return client.command(args);
        }
        return batch(List.of(RespEncoder.command(args))).getFirst();
    }

    @Override
    public List<CompletableFuture<RespValue>> batch(List<byte[]> encoded) {
        RedisClient client = current;
        if (client != null && client.isOpen()) {
            return client.batch(encoded);
        }
        List<CompletableFuture<RespValue>> replies = encoded.stream().map(e -> new CompletableFuture<RespValue>())
                .toList();
        Waiting wait = new Waiting(encoded.toArray(byte[][]::new), replies,
                System.nanoTime() + policy.waitWhileDisconnected().toNanos());
        try {
            ops.execute(() -> await(wait));
        } catch (IllegalStateException opsClosed) {
            fail(wait, new IOException("the aioops operations of this redis client are closed"));
        }
        return replies;
    }

    /**
     * The typed API, on whichever connection is current.
     *
     * @return the typed commands (the same object every time)
     */
    public RedisCommands async() {
        return async;
    }

    /**
     * Whether a connection is up now. Any thread.
     *
     * @return {@code true} while connected
     */
    public boolean isConnected() {
        RedisClient client = current;
        return client != null && client.isOpen();
    }

    /**
     * How many times the client has reconnected since it was made, for monitoring. Any thread (a snapshot).
     *
     * @return the number of new connections after the first
     */
    public long reconnects() {
        return reconnects;
    }

    /** Closes the current connection and stops reconnecting; waiting commands fail. Idempotent; any thread. */
    @Override
    public void close() {
        closed = true;
        try {
            ops.execute(this::shutdown);
        } catch (IllegalStateException opsClosed) {
            // Everything was closed with the operations.
        }
    }

    // Everything below runs on the loop.

    private void connected(RedisClient client) {
        if (closed) {
            client.close();
            return;
        }
        current = client;
        attempt = 0;
        client.failed().thenAccept(this::disconnected);
        sendWaiting(client);
    }

    /** Sends the commands that waited for a connection, in the order issued. */
    private void sendWaiting(RedisClient client) {
        Waiting wait;
        while ((wait = waiting.poll()) != null) {
            List<CompletableFuture<RespValue>> sent = client.batch(List.of(wait.encodedBatch()));
            for (int i = 0; i < sent.size(); i++) {
                CompletableFuture<RespValue> reply = wait.replies().get(i);
                sent.get(i).whenComplete((value, failure) -> {
                    if (failure != null) {
                        reply.completeExceptionally(failure);
                    } else {
                        reply.complete(value);
                    }
                });
            }
        }
    }

    private void disconnected(IOException cause) {
        if (closed || reconnectTimer != 0) {
            return;
        }
        scheduleAttempt();
    }

    private void scheduleAttempt() {
        attempt++;
        long delay = policy.delayNanos(attempt, ThreadLocalRandom.current().nextDouble());
        try {
            reconnectTimer = ops.timeout(delay, null, (result, ignored) -> {
                reconnectTimer = 0;
                if (result == 0 && !closed) {
                    tryConnect();
                }
            });
        } catch (IllegalStateException opsClosed) {
            shutdown();
        }
    }

    private void tryConnect() {
        try {
            RedisConnector.connect(ops, uri, config).whenComplete((client, failure) -> {
                if (failure != null) {
                    scheduleAttempt();
                } else {
                    reconnects++; // only the loop writes it
                    connected(client);
                }
            });
        } catch (IllegalStateException opsClosed) {
            shutdown();
        }
    }

    private void await(Waiting wait) {
        RedisClient client = current;
        if (closed) {
            fail(wait, new IOException("the redis client was closed"));
        } else if (client != null && client.isOpen()) {
            waiting.add(wait);
            sendWaiting(client); // connected meanwhile: sends it behind any that waited before it
        } else if (policy.waitWhileDisconnected().isZero() || waiting.size() >= policy.maxWaiting()) {
            fail(wait, new IOException("redis at " + uri.address() + " is disconnected (reconnecting)"));
        } else {
            waiting.add(wait);
            armSweep();
        }
    }

    /** One timer for the waiting commands: it fails those whose wait is over and re-arms for the next. */
    private void armSweep() {
        if (sweepTimer != 0 || waiting.isEmpty()) {
            return;
        }
        try {
            sweepTimer = ops.timeout(Math.max(1, waiting.peek().deadline() - System.nanoTime()), null, (r, a) -> {
                sweepTimer = 0;
                long now = System.nanoTime();
                while (!waiting.isEmpty() && waiting.peek().deadline() - now <= 0) {
                    fail(waiting.poll(), new IOException("redis at " + uri.address() + " stayed disconnected for "
                            + policy.waitWhileDisconnected()));
                }
                armSweep();
            });
        } catch (IllegalStateException opsClosed) {
            shutdown();
        }
    }

    private static void fail(Waiting wait, IOException cause) {
        wait.replies().forEach(reply -> reply.completeExceptionally(cause));
    }

    private void shutdown() {
        closed = true;
        RedisClient client = current;
        if (client != null) {
            client.close();
        }
        cancel(reconnectTimer);
        cancel(sweepTimer);
        Waiting wait;
        while ((wait = waiting.poll()) != null) {
            fail(wait, new IOException("the redis client was closed"));
        }
    }

    private void cancel(long token) {
        if (token != 0) {
            try {
                ops.cancel(token);
            } catch (IllegalStateException opsClosed) {
                // nothing left to cancel
            }
        }
    }
}
