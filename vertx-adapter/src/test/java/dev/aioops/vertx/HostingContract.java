package dev.aioops.vertx;

import dev.aioops.examples.checksum.ByteChecksummer;
import dev.aioops.examples.checksum.ByteSum;
import dev.aioops.examples.resp.RedisClient;
import dev.aioops.examples.resp.RespValue;
import dev.aioops.fixtures.RedisServerFixture;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioSocketAddress;
import dev.aioops.tck.AioCompletionTally;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Verticles hosting aioops: protocol libraries whose every completion runs on the verticle's context, and
 * instances that are closed with their verticle, with nothing left behind. Run once per mode: a subclass says
 * which Vert.x transport the verticles run on, and so which mode {@link VertxAio} picks.
 */
abstract class HostingContract {

    private static final long HOUR = TimeUnit.HOURS.toNanos(1);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private Vertx vertx;

    @TempDir
    Path tempDir;

    /** The Vert.x instance the verticles are deployed to. */
    abstract Vertx createVertx();

    /** The mode an instance bound to a verticle of {@link #createVertx()} runs in. */
    abstract VertxAioMode expectedMode();

    @BeforeEach
    void startVertx() {
        vertx = createVertx();
    }

    @AfterEach
    void closeVertx() throws Exception {
        await(vertx.close());
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    /** What the hosting verticle found out. */
    private record Outcome(ByteSum fileSum, String redisGet, long redisIncr, long eventfdSum) {
    }

    /** Runs the checksum and Redis libraries and an eventfd fed by a foreign thread, all on its context. */
    private static final class HostingVerticle extends VerticleBase {
        private final Path file;
        private final InetSocketAddress redis;
        private final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private final Arena arena = Arena.ofShared();
        private volatile VertxAioOperations aio;
        private volatile ContextCheckingOperations checking;

        HostingVerticle(Path file, InetSocketAddress redis) {
            this.file = file;
            this.redis = redis;
        }

        @Override
        public Future<?> start() {
            aio = VertxAio.forCurrentContext();
            checking = new ContextCheckingOperations(aio, context);
            CompletableFuture<ByteSum> sum = new ByteChecksummer(checking, 16 * 1024, 4).sumFile(file);
            CompletableFuture<String[]> redisResults = RedisClient.connect(checking, redis).thenCompose(client -> {
                CompletableFuture<RespValue> set = client.set("hosted", "by a verticle");
                client.incr("counter");
                CompletableFuture<RespValue> incr = client.incr("counter");
                CompletableFuture<RespValue> get = client.get("hosted");
                return set.thenCombine(incr, (s, i) -> i).thenCombine(get,
                        (i, g) -> new String[] {g.asString(), Long.toString(i.asLong())});
            });
            CompletableFuture<Long> signalled = sumOfSignals();
            sum.thenCombine(redisResults, (s, r) -> new Outcome(s, r[0], Long.parseLong(r[1]), 0))
                    .thenCombine(signalled, (o, e) -> new Outcome(o.fileSum(), o.redisGet(), o.redisIncr(), e))
                    .whenComplete((o, failure) -> {
                        if (failure != null) {
                            outcome.completeExceptionally(failure);
                        } else {
                            outcome.complete(o);
                        }
                    });
            return Future.succeededFuture();
        }

        /** An eventfd signalled 1000 times by another thread, read until the sum arrives. */
        private CompletableFuture<Long> sumOfSignals() {
            CompletableFuture<Long> result = new CompletableFuture<>();
            MemorySegment counter = arena.allocate(8);
            AtomicLong sum = new AtomicLong();
            checking.eventfd(0, null, (efd, ignored) -> {
                checking.execute(() -> Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 1000; i++) {
                        checking.signal(efd, 1);
                    }
                }));
                new Object() {
                    void next() {
                        checking.read(efd, counter, AioOperations.STREAM, null, (n, a) -> {
                            if (n != 8) {
                                result.completeExceptionally(new AssertionError("eventfd read gave " + n));
                            } else if (sum.addAndGet(counter.get(ValueLayout.JAVA_LONG, 0)) >= 1000) {
                                checking.timeout(TimeUnit.MILLISECONDS.toNanos(1), null,
                                        (r, b) -> result.complete(sum.get()));
                            } else {
                                next();
                            }
                        });
                    }
                }.next();
            });
            return result;
        }
    }

    @Test
    @Timeout(120)
    void aVerticleHostsTheChecksumAndRedisLibrariesWithEveryCompletionOnItsContext() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(content);
        Path file = tempDir.resolve("hosted.bin");
        Files.write(file, content);
        try (RedisServerFixture redis = RedisServerFixture.start()) {
            HostingVerticle verticle = new HostingVerticle(file, redis.address());
            String id = await(vertx.deployVerticle(verticle));
            Outcome outcome = verticle.outcome.get(60, TimeUnit.SECONDS);

            assertThat(outcome.fileSum()).isEqualTo(ByteSum.of(content));
            assertThat(outcome.redisGet()).isEqualTo("by a verticle");
            assertThat(outcome.redisIncr()).isEqualTo(2);
            assertThat(outcome.eventfdSum()).isEqualTo(1000);
            assertThat(verticle.aio.mode()).isEqualTo(expectedMode());
            assertThat(verticle.checking.calls()).as("completions and tasks seen").isGreaterThan(200);
            assertThat(verticle.checking.violations()).isEmpty();

            await(vertx.undeploy(id));
            assertThat(verticle.aio.isTerminated()).isTrue();
            assertThat(verticle.aio.openHandles()).isZero();
            verticle.arena.close();
        }
    }

    /**
     * An echo of one datagram and a receive that times out, on the verticle's context: the results of the send,
     * the two receives and the timed-out receive.
     */
    private static final class DatagramVerticle extends VerticleBase {
        private final CompletableFuture<List<Integer>> results = new CompletableFuture<>();
        private final Arena arena = Arena.ofShared();
        private volatile ContextCheckingOperations checking;

        @Override
        public Future<?> start() {
            checking = new ContextCheckingOperations(VertxAio.forCurrentContext(), context);
            List<Integer> seen = new ArrayList<>();
            MemorySegment out = arena.allocate(5).fill((byte) 'd');
            MemorySegment in = arena.allocate(16);
            AioSocketAddress from = AioSocketAddress.allocate(arena);
            InetSocketAddress any = new InetSocketAddress(LOOPBACK, 0);
            checking.openDatagram(any, null, null, (server, a) -> checking.openDatagram(any, null, null,
                    (client, b) -> {
                        AioSocketAddress to;
                        try {
                            to = AioSocketAddress.of(arena, (java.net.InetSocketAddress) checking.localAddress(server));
                        } catch (java.io.IOException e) {
                            results.completeExceptionally(e);
                            return;
                        }
                        checking.receive(server, in, from, 0, null, (got, c) -> {
                            seen.add(got);
                            checking.sendTo(server, in.asSlice(0, 5), from, null, (sent, d) -> seen.add(sent));
                        });
                        checking.sendTo(client, out, to, null, (sent, c) -> seen.add(sent));
                        checking.receive(client, in, null, HOUR, null, (back, c) -> {
                            seen.add(back);
                            checking.receive(client, in, null, TimeUnit.MILLISECONDS.toNanos(20), null,
                                    (late, d) -> {
                                        seen.add(late);
                                        results.complete(seen);
                                    });
                        });
                    }));
            return Future.succeededFuture();
        }
    }

    @Test
    @Timeout(60)
    void aVerticleEchoesADatagramWithEveryCompletionOnItsContext() throws Exception {
        DatagramVerticle verticle = new DatagramVerticle();
        String id = await(vertx.deployVerticle(verticle));
        assertThat(verticle.results.get(30, TimeUnit.SECONDS)).containsExactlyInAnyOrder(5, 5, 5, 5,
                -AioErrno.ETIMEDOUT);
        assertThat(verticle.checking.calls()).isEqualTo(7);
        assertThat(verticle.checking.violations()).isEmpty();
        await(vertx.undeploy(id));
        verticle.arena.close();
    }

    /** Leaves five operations in flight: a timer, an eventfd read, an accept, a socket read and a file read. */
    private static final class InFlightVerticle extends VerticleBase {
        static final int OPERATIONS = 5;
        private final Path file;
        private final Arena arena = Arena.ofShared();
        private volatile VertxAioOperations aio;
        private volatile AioCompletionTally tally;
        private volatile Thread thread;

        InFlightVerticle(Path file) {
            this.file = file;
        }

        @Override
        public Future<?> start() {
            thread = Thread.currentThread();
            aio = VertxAio.forCurrentContext(AioConfig.builder().buffers(2, 4096).fileThreads(2).build());
            tally = new AioCompletionTally(aio, OPERATIONS);
            Promise<Void> inFlight = Promise.promise();
            java.util.concurrent.atomic.AtomicInteger submitted = new java.util.concurrent.atomic.AtomicInteger();
            Runnable oneSubmitted = () -> {
                if (submitted.incrementAndGet() == OPERATIONS) {
                    inFlight.complete();
                }
            };
            aio.timeout(HOUR, 0, tally);
            oneSubmitted.run();
            aio.eventfd(0, null, (efd, a) -> {
                aio.read(efd, arena.allocate(8), AioOperations.STREAM, 1, tally);
                oneSubmitted.run();
            });
            aio.listen(new InetSocketAddress(LOOPBACK, 0), 8, null, (idle, a) -> {
                aio.accept(idle, 2, tally);
                oneSubmitted.run();
            });
            aio.open(file, Set.of(AioOpenOption.READ), null, (f, a) -> {
                aio.read(f, arena.allocate(4096), 0, 4, tally);
                oneSubmitted.run();
            });
            aio.listen(new InetSocketAddress(LOOPBACK, 0), 8, null, (listener, a) -> {
                InetSocketAddress address;
                try {
                    address = (InetSocketAddress) aio.localAddress(listener);
                } catch (java.io.IOException e) {
                    inFlight.fail(e);
                    return;
                }
                // The accepted side waits unclaimed in the listener; the client reads with nothing to read.
                aio.connect(address, null, (client, b) -> {
                    aio.read(client, arena.allocate(64), AioOperations.STREAM, 3, tally);
                    oneSubmitted.run();
                });
            });
            return inFlight.future();
        }
    }

    @Test
    @Timeout(180)
    void deployingAndUndeployingAHundredTimesWithOperationsInFlightLeaksNothing() throws Exception {
        Path file = tempDir.resolve("in-flight.bin");
        Files.write(file, new byte[64 * 1024]);
        List<VertxAioOperations> opened = new ArrayList<>();
        for (int round = 0; round < 100; round++) {
            InFlightVerticle verticle = new InFlightVerticle(file);
            String id = await(vertx.deployVerticle(verticle));
            await(vertx.undeploy(id));

            AioCompletionTally tally = verticle.tally;
            assertThat(tally.pending()).as("round %d: operations still pending after undeploy", round).isZero();
            assertThat(tally.duplicates()).isZero();
            assertThat(tally.offLoop()).isZero();
            for (int op = 0; op < 4; op++) {
                assertThat(tally.result(op)).as("round %d, operation %d", round, op).isEqualTo(-AioErrno.ECANCELED);
            }
            assertThat(tally.result(4)).isIn(4096, -AioErrno.ECANCELED);
            assertThat(verticle.aio.mode()).isEqualTo(expectedMode());
            assertThat(verticle.aio.isTerminated()).isTrue();
            assertThat(verticle.aio.openHandles()).isZero();
            assertThat(verticle.aio.inFlight()).isZero();
            verticle.arena.close();
            opened.add(verticle.aio);
        }
        assertThat(VertxAioOperations.live()).doesNotContainAnyElementsOf(opened);
        assertThat(vertx.deploymentIDs()).isEmpty();
    }

    @Test
    @Timeout(60)
    void closingBeforeUndeployingCompletesEverythingOnceAndUndeployStillWorks() throws Exception {
        Path file = tempDir.resolve("early-close.bin");
        Files.write(file, new byte[4096]);
        InFlightVerticle verticle = new InFlightVerticle(file);
        String id = await(vertx.deployVerticle(verticle));
        verticle.aio.close();
        assertThat(verticle.tally.pending()).isZero();
        assertThat(verticle.tally.duplicates()).isZero();
        await(vertx.undeploy(id));
        assertThat(verticle.tally.duplicates()).isZero();
        assertThat(verticle.tally.result(0)).isEqualTo(-AioErrno.ECANCELED);
        verticle.arena.close();
    }

    @Test
    @Timeout(60)
    void completionsDuringUndeployRunOnTheVerticleThread() throws Exception {
        Path file = tempDir.resolve("thread.bin");
        Files.write(file, new byte[4096]);
        InFlightVerticle verticle = new InFlightVerticle(file);
        String id = await(vertx.deployVerticle(verticle));
        CompletableFuture<Thread> completionThread = new CompletableFuture<>();
        verticle.aio.timeout(HOUR, null, (r, a) -> completionThread.complete(Thread.currentThread()));
        await(vertx.undeploy(id));
        assertThat(completionThread.get(30, TimeUnit.SECONDS)).isSameAs(verticle.thread);
        assertThat(verticle.tally.offLoop()).isZero();
        verticle.arena.close();
    }
}
