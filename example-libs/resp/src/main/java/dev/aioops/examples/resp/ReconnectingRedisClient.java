package dev.aioops.examples.resp;

import dev.aioops.spi.AioOperations;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A Redis client that reconnects: it keeps one {@link RedisClient} connected to a {@link RedisUri} and, when that
 * connection fails, makes another after a backoff with jitter ({@link ReconnectPolicy}), with the same
 * introduction ({@code AUTH}, {@code SELECT}, {@code CLIENT SETNAME}, {@code HELLO}). Commands in flight when the
 * connection fails fail with it (whether Redis ran them is unknown); a command issued while disconnected waits for
 * the next connection for at most {@link ReconnectPolicy#waitWhileDisconnected()} (and at most
 * {@link ReconnectPolicy#maxWaiting()} of them), then fails with an {@link IOException}: never without bound.
 *
 * <p><b>Pub/sub.</b> {@link #pubSub()} subscribes on the current connection. Every channel, pattern and shard
 * channel that Redis had confirmed when a connection was lost is subscribed again on the next one, before the
 * commands that waited for it are sent, as Lettuce does; the listener stays the same and goes on receiving.
 * Messages published while disconnected are lost (Redis pub/sub delivers at most once); {@link #onReconnect} is
 * told when each new connection is ready, for an application that must make up for the gap (reload a cache,
 * turn {@code CLIENT TRACKING} on again). A subscribe whose future failed with its connection is not renewed, and
 * neither is a renewal that Redis refused (logged: the ACL user may have lost the channel meanwhile).
 *
 * <p>Any thread; state is confined to the loop of the {@link AioOperations}, and the reconnect timer is the
 * contract's {@code timeout}.
 */
public final class ReconnectingRedisClient implements AutoCloseable, CommandChannel {

    /** A command (or a batch, or a subscription) issued while disconnected: how to send it, how to fail it. */
    private record Waiting(Consumer<RedisClient> send, Consumer<IOException> fail, long deadline) {
    }

    private static final System.Logger LOG = System.getLogger(ReconnectingRedisClient.class.getName());

    private final AioOperations ops;
    private final RedisUri uri;
    private final RedisClientConfig config;
    private final ReconnectPolicy policy;
    private final RedisCommands async = new RedisCommands(this);
    private final RedisPubSub pubSub = new RedisPubSub(this::subscription, l -> listener = l);
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private volatile Consumer<RespValue.Push> listener = push -> { };
    private volatile Runnable onReconnect = () -> { };
    /** What the lost connection was subscribed to, for the next one to renew. */
    private Map<String, List<String>> toRenew = Map.of();
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
        List<byte[]> batch = List.copyOf(encoded);
        awaitConnection(next -> {
            List<CompletableFuture<RespValue>> sent = next.batch(batch);
            for (int i = 0; i < sent.size(); i++) {
                forward(sent.get(i), replies.get(i));
            }
        }, cause -> replies.forEach(reply -> reply.completeExceptionally(cause)));
        return replies;
    }

    /** A (un)subscribe of {@link #pubSub()}: on the current connection, or on the next as a command waits. */
    private CompletableFuture<Void> subscription(String kind, String[] channels) {
        RedisClient client = current;
        if (client != null && client.isOpen()) {
            return client.subscription(kind, channels);
        }
        if (channels.length == 0) {
            throw new IllegalArgumentException(kind + " needs at least one channel");
        }
        String[] copy = Arrays.stream(channels).map(c -> Objects.requireNonNull(c, "a channel is null"))
                .toArray(String[]::new);
        CompletableFuture<Void> done = new CompletableFuture<>();
        awaitConnection(next -> forward(next.subscription(kind, copy), done), done::completeExceptionally);
        return done;
    }

    private static <T> void forward(CompletableFuture<T> from, CompletableFuture<T> to) {
        from.whenComplete((value, failure) -> {
            if (failure != null) {
                to.completeExceptionally(failure);
            } else {
                to.complete(value);
            }
        });
    }

    /** Hands work issued while disconnected to the loop, to wait for the next connection as the policy says. */
    private void awaitConnection(Consumer<RedisClient> send, Consumer<IOException> fail) {
        Waiting wait = new Waiting(send, fail, System.nanoTime() + policy.waitWhileDisconnected().toNanos());
        try {
            ops.execute(() -> await(wait));
        } catch (IllegalStateException opsClosed) {
            fail.accept(new IOException("the aioops operations of this redis client are closed"));
        }
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
     * Pub/sub on whichever connection is current; subscriptions are renewed on each new connection (see the class
     * comment). While disconnected, a (un)subscribe waits for the next connection as a command does.
     *
     * @return the pub/sub commands (the same object every time)
     */
    public RedisPubSub pubSub() {
        return pubSub;
    }

    /**
     * Sets what runs after each reconnect, on the loop, once the subscriptions have been sent again and before
     * the commands that waited are sent: commands it issues go first. Not after the first connection. Keep it
     * short; what it throws is logged and ignored. Any thread; replaces the previous one.
     *
     * @param task what to do; it may issue commands on this client
     * @throws NullPointerException if it is null
     */
    public void onReconnect(Runnable task) {
        onReconnect = Objects.requireNonNull(task, "task");
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
        client.pubSub().onPush(push -> listener.accept(push));
        client.failed().thenAccept(cause -> disconnected(client));
        renewSubscriptions(client);
        if (reconnects > 0) {
            try {
                onReconnect.run();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "the onReconnect task of a redis client failed", e);
            }
        }
        sendWaiting(client);
    }

    /** Subscribes the new connection to what the lost one was subscribed to. */
    private void renewSubscriptions(RedisClient client) {
        Map<String, List<String>> renew = toRenew;
        toRenew = Map.of();
        renew.forEach((kind, channels) -> client.renew(kind, channels).whenComplete((done, failure) -> {
            if (failure instanceof RedisCommandException refused) {
                LOG.log(System.Logger.Level.WARNING, "redis at " + uri.address() + " refused to renew " + kind + " "
                        + channels + " on a new connection: " + refused.getMessage());
            }
        }));
    }

    /** Sends the commands that waited for a connection, in the order issued. */
    private void sendWaiting(RedisClient client) {
        Waiting wait;
        while ((wait = waiting.poll()) != null) {
            wait.send().accept(client);
        }
    }

    private void disconnected(RedisClient lost) {
        if (closed || reconnectTimer != 0) {
            return;
        }
        toRenew = lost.subscriptions().subscribed();
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
        wait.fail().accept(cause);
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
