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
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The contenders of the Redis workload: GETs of one 64-byte value over one connection to the same real server,
 * {@code depth} commands in flight (pipelined when more than 1), batch after batch until the deadline. Counts
 * commands per second.
 */
final class RedisContenders {

    static final String KEY = "aioops:bench";
    private static final long WAIT_SECONDS = 60;

    private RedisContenders() {
    }

    /** The resp example library on an aioops adapter; each batch is issued from the previous one's completion. */
    static Contender aioops(AioProvider provider, InetSocketAddress server, int depth, Duration duration) {
        return new AdapterContender(provider) {
            private AioOperations ops;
            private RedisClient client;

            @Override
            public Trial run() throws Exception {
                if (client == null) {
                    ops = provider.open(AioConfig.builder().buffers(0, 4096).build());
                    client = RedisClient.connect(ops, server)
                            .get(WAIT_SECONDS, TimeUnit.SECONDS);
                    client.set(KEY, "x".repeat(64)).get(WAIT_SECONDS, TimeUnit.SECONDS);
                }
                return Trial.measure(() -> new Trial.Outcome(new AioBatches(ops, client, depth,
                        System.nanoTime() + duration.toNanos()).run(), 0));
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

    /** Batches of GETs, each batch sent from the loop when the previous one's last reply arrived. */
    private static final class AioBatches {
        private final AioOperations ops;
        private final RedisClient client;
        private final int depth;
        private final long deadline;
        private final CompletableFuture<Long> done = new CompletableFuture<>();
        private long commands;

        AioBatches(AioOperations ops, RedisClient client, int depth, long deadline) {
            this.ops = ops;
            this.client = client;
            this.depth = depth;
            this.deadline = deadline;
        }

        long run() throws Exception {
            ops.execute(this::batch);
            return done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        private void batch() {
            CompletableFuture<RespValue> last = null;
            for (int i = 0; i < depth; i++) {
                last = client.get(KEY);
            }
            last.whenComplete((value, failure) -> {
                if (failure != null || value.isError()) {
                    done.completeExceptionally(failure != null ? failure
                            : new IllegalStateException("redis: " + value.asString()));
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

    /** Lettuce, the Redis client Java developers reach for: async API, auto-flush off when pipelining. */
    static Contender lettuce(InetSocketAddress server, int depth, Duration duration) {
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
                    connection.sync().set(KEY, "x".repeat(64));
                }
                RedisAsyncCommands<String, String> async = connection.async();
                long deadline = System.nanoTime() + duration.toNanos();
                return Trial.measure(() -> {
                    connection.setAutoFlushCommands(depth == 1);
                    try {
                        return new Trial.Outcome(new LettuceBatches(connection, async, depth, deadline).run(), 0);
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

    /**
     * Batches of GETs on Lettuce, each sent from the completion of the previous one's last reply (on Lettuce's
     * event loop), as {@link AioBatches} does on the aioops loop: no thread hand-off per batch on either side.
     */
    private static final class LettuceBatches {
        private final StatefulRedisConnection<String, String> connection;
        private final RedisAsyncCommands<String, String> async;
        private final int depth;
        private final long deadline;
        private final CompletableFuture<Long> done = new CompletableFuture<>();
        private long commands;

        LettuceBatches(StatefulRedisConnection<String, String> connection, RedisAsyncCommands<String, String> async,
                       int depth, long deadline) {
            this.connection = connection;
            this.async = async;
            this.depth = depth;
            this.deadline = deadline;
        }

        long run() throws Exception {
            batch();
            return done.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        private void batch() {
            RedisFuture<String> last = null;
            for (int i = 0; i < depth; i++) {
                last = async.get(KEY);
            }
            if (depth > 1) {
                connection.flushCommands();
            }
            last.whenComplete((value, failure) -> {
                if (failure != null) {
                    done.completeExceptionally(failure);
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
}
