package dev.aioops.bench.suite;

import dev.aioops.examples.resp.RedisClient;
import dev.aioops.examples.resp.RespValue;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The contenders of the Redis workloads: GETs (or SETs) of one 64-byte value over one connection to the same real
 * server, {@code depth} commands in flight (pipelined when more than 1), batch after batch until the deadline.
 * Counts commands per second.
 */
final class RedisContenders {

    static final String KEY = "aioops:bench";
    /** The key the SET workload overwrites, apart from the one GET reads. */
    static final String SET_KEY = "aioops:bench:set";
    static final String VALUE = "x".repeat(64);
    private static final byte[] VALUE_BYTES = VALUE.getBytes(StandardCharsets.US_ASCII);
    private static final long WAIT_SECONDS = 60;

    /** The command a workload repeats. */
    enum Command {
        /** {@code GET} of a key holding a 64-byte value. */
        GET,
        /** {@code SET} of a 64-byte value; the reply is {@code +OK}. */
        SET
    }

    private RedisContenders() {
    }

    /** The resp example library on an aioops adapter; each batch is issued from the previous one's completion. */
    static Contender aioops(AioProvider provider, InetSocketAddress server, Command command, int depth,
                            Duration duration) {
        return new AdapterContender(provider) {
            private AioOperations ops;
            private RedisClient client;

            @Override
            public Trial run() throws Exception {
                if (client == null) {
                    ops = provider.open(AioConfig.builder().buffers(0, 4096).build());
                    client = RedisClient.connect(ops, server)
                            .get(WAIT_SECONDS, TimeUnit.SECONDS);
                    client.set(KEY, VALUE).get(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                return Trial.measure(() -> new Trial.Outcome(new AioBatches(client, command, depth,
                        System.nanoTime() + duration.toNanos()).run(ops::execute), 0));
            }

            @Override
            public void close() {
                if (client != null) {
                    client.close();
                }
                if (ops != null) {
                    ops.close();
                }
            }
        };
    }

    /**
     * Batches of {@code depth} commands until the deadline, each batch sent from the completion of the previous
     * one's last reply (on the client's own event loop): no thread hand-off per batch for any client.
     */
    private abstract static class Batches<R> {
        private final int depth;
        private final long deadline;
        private final CompletableFuture<Long> done = new CompletableFuture<>();
        private long commands;

        Batches(int depth, long deadline) {
            this.depth = depth;
            this.deadline = deadline;
        }

        /** Sends one batch of {@code depth} commands; returns the last one's reply. */
        abstract CompletionStage<R> send(int depth);

        /** Why a reply is a failure (a Redis error reply), or null. */
        Throwable rejected(R reply) {
            return null;
        }

        /** Runs {@code start}, which sends the first batch, and returns the commands answered by the deadline. */
        final long run(Consumer<Runnable> start) throws Exception {
            start.accept(this::batch);
            return done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        private void batch() {
            send(depth).whenComplete((reply, failure) -> {
                Throwable bad = failure != null ? failure : rejected(reply);
                if (bad != null) {
                    done.completeExceptionally(bad);
                    return;
                }
                commands += depth;
                if (System.nanoTime() < deadline) {
                    batch();
                } else {
                    done.complete(commands);
                }
            });
        }
    }

    /** The resp library's batches, the first one sent from the aioops loop. */
    private static final class AioBatches extends Batches<RespValue> {
        private final RedisClient client;
        private final Command command;

        AioBatches(RedisClient client, Command command, int depth, long deadline) {
            super(depth, deadline);
            this.client = client;
            this.command = command;
        }

        @Override
        CompletionStage<RespValue> send(int depth) {
            CompletableFuture<RespValue> last = null;
            for (int i = 0; i < depth; i++) {
                last = command == Command.GET ? client.get(KEY) : client.set(SET_KEY, VALUE_BYTES);
            }
            return last;
        }

        @Override
        Throwable rejected(RespValue reply) {
            return reply.isError() ? new IllegalStateException("redis: " + reply.asString()) : null;
        }
    }

    /** Lettuce, the Redis client Java developers reach for: async API, auto-flush off when pipelining. */
    static Contender lettuce(InetSocketAddress server, Command command, int depth, Duration duration) {
        return new Contender() {
            private io.lettuce.core.RedisClient client;
            private StatefulRedisConnection<String, String> connection;

            @Override
            public String name() {
                return "Lettuce";
            }

            @Override
            public Trial run() throws Exception {
                if (connection == null) {
                    client = io.lettuce.core.RedisClient.create(
                            RedisURI.create(server.getHostString(), server.getPort()));
                    connection = client.connect();
                    connection.sync().set(KEY, VALUE);
                }
                RedisAsyncCommands<String, String> async = connection.async();
                return Trial.measure(() -> {
                    connection.setAutoFlushCommands(depth == 1);
                    long deadline = System.nanoTime() + duration.toNanos();
                    try {
                        return new Trial.Outcome(
                                new LettuceBatches(connection, async, command, depth, deadline).run(Runnable::run), 0);
                    } finally {
                        connection.setAutoFlushCommands(true);
                    }
                });
            }

            @Override
            public void close() {
                if (connection != null) {
                    connection.close();
                }
                if (client != null) {
                    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                }
            }
        };
    }

    /** Lettuce's batches, flushed as one write when pipelined. */
    private static final class LettuceBatches extends Batches<String> {
        private final StatefulRedisConnection<String, String> connection;
        private final RedisAsyncCommands<String, String> async;
        private final Command command;

        LettuceBatches(StatefulRedisConnection<String, String> connection, RedisAsyncCommands<String, String> async,
                       Command command, int depth, long deadline) {
            super(depth, deadline);
            this.connection = connection;
            this.async = async;
            this.command = command;
        }

        @Override
        CompletionStage<String> send(int depth) {
            RedisFuture<String> last = null;
            for (int i = 0; i < depth; i++) {
                last = command == Command.GET ? async.get(KEY) : async.set(SET_KEY, VALUE);
            }
            if (depth > 1) {
                connection.flushCommands();
            }
            return last;
        }
    }
}
