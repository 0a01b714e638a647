package dev.aioops.crossadapter;

import dev.aioops.examples.offload.DigestOffload;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DigestOffload} on every adapter, wired as an application would: a read kept pending on the library's
 * eventfd, re-armed and answered with {@code onEventFdFired()} each time it completes.
 */
@Timeout(90)
class OffloadAcrossAdaptersTest {

    /** The application's side of the handshake: the pump of the README. */
    private static final class Pump implements AioCompletion<DigestOffload> {
        private final AioOperations ops;
        private final MemorySegment counter;
        private final CompletableFuture<Integer> stopped = new CompletableFuture<>();

        Pump(AioOperations ops, Arena arena) {
            this.ops = ops;
            this.counter = arena.allocate(8);
        }

        void start(DigestOffload offload) {
            ops.read(offload.eventFd(), counter, AioOperations.STREAM, offload, this);
        }

        @Override
        public void completed(int result, DigestOffload offload) {
            if (result < 0) {
                stopped.complete(result);
                return;
            }
            ops.read(offload.eventFd(), counter, AioOperations.STREAM, offload, this);
            offload.onEventFdFired();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void a_hundred_thousand_jobs_from_eight_threads_all_come_back_on_the_loop(AioProvider adapter) throws Exception {
        int threads = 8;
        int perThread = 12_500;
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            DigestOffload offload = DigestOffload.open(ops, 4).get(30, TimeUnit.SECONDS);
            Pump pump = new Pump(ops, arena);
            pump.start(offload);
            boolean[][] delivered = new boolean[threads][perThread]; // touched on the loop only
            AtomicInteger offLoop = new AtomicInteger();
            AtomicInteger duplicates = new AtomicInteger();
            AtomicInteger wrongDigests = new AtomicInteger();
            CountDownLatch all = new CountDownLatch(threads * perThread);
            MessageDigest check = MessageDigest.getInstance("SHA-256"); // used on the loop only

            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int submitter = t;
                submitters.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < perThread; i++) {
                        byte[] data = ByteBuffer.allocate(8).putInt(submitter).putInt(i).array();
                        int index = i;
                        offload.submit(MemorySegment.ofArray(data), data, (sha256, bytes) -> {
                            if (!ops.inLoop()) {
                                offLoop.incrementAndGet();
                            }
                            if (!Arrays.equals(sha256, check.digest(bytes))) {
                                wrongDigests.incrementAndGet();
                            }
                            if (delivered[submitter][index]) {
                                duplicates.incrementAndGet();
                            }
                            delivered[submitter][index] = true;
                            all.countDown();
                        });
                    }
                }));
            }
            for (Thread t : submitters) {
                t.join();
            }

            assertThat(all.await(60, TimeUnit.SECONDS)).as("every one of 100 000 jobs delivered, %d missing",
                    all.getCount()).isTrue();
            assertThat(offLoop).hasValue(0);
            assertThat(duplicates).hasValue(0);
            assertThat(wrongDigests).hasValue(0);

            offload.close();
            offload.closed().get(30, TimeUnit.SECONDS);
            assertThat(pump.stopped.get(30, TimeUnit.SECONDS)).as("the pump's read ends with an errno").isNegative();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.aioops.crossadapter.Adapters#available")
    void digests_native_buffers_and_arrays(AioProvider adapter) throws Exception {
        try (Arena arena = Arena.ofShared(); AioOperations ops = adapter.open(Adapters.config())) {
            DigestOffload offload = DigestOffload.open(ops, 2).get(30, TimeUnit.SECONDS);
            new Pump(ops, arena).start(offload);
            MemorySegment buffer = arena.allocate(1 << 20);
            buffer.fill((byte) 0x5A);
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(buffer.toArray(
                    java.lang.foreign.ValueLayout.JAVA_BYTE));
            CompletableFuture<byte[]> nativeDigest = new CompletableFuture<>();

            offload.submit(buffer, nativeDigest, (sha256, future) -> future.complete(sha256));

            assertThat(nativeDigest.get(30, TimeUnit.SECONDS)).isEqualTo(expected);
            assertThat(offload.digest("abc".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .get(30, TimeUnit.SECONDS)).asHexString()
                    .isEqualToIgnoringCase("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
            offload.close();
            offload.closed().get(30, TimeUnit.SECONDS);
        }
    }
}
