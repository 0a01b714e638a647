package dev.aioops.examples.offload;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * {@link DigestOffload} against a mocked {@link AioOperations} whose loop is a single-thread executor and whose
 * eventfd is a counter: a signal that finds it at 0 schedules the application's "read completed" on the loop,
 * which takes the counter and calls {@link DigestOffload#onEventFdFired()}, as the README's pump does.
 */
@Timeout(60)
class DigestOffloadTest {

    private static final int EVENTFD = 12;

    private final AioOperations ops = mock(AioOperations.class);
    private final ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-loop"));
    private final AtomicLong counter = new AtomicLong();
    private final AtomicInteger signals = new AtomicInteger();
    private final AtomicInteger eventFdCloses = new AtomicInteger();
    private volatile DigestOffload offload;

    @SuppressWarnings("unchecked")
    private static AioCompletion<Object> completion(Object argument) {
        return (AioCompletion<Object>) argument;
    }

    @BeforeEach
    void mockTheLoop() {
        when(ops.inLoop()).thenAnswer(call -> Thread.currentThread().getName().equals("fake-loop"));
        when(ops.eventfd(eq(0L), any(), any())).thenAnswer(call -> {
            loop.execute(() -> completion(call.getArgument(2)).completed(EVENTFD, call.getArgument(1)));
            return 1L;
        });
        when(ops.signal(eq(EVENTFD), anyLong())).thenAnswer(call -> {
            signals.incrementAndGet();
            if (counter.getAndAdd(call.getArgument(1)) == 0) {
                loop.execute(() -> {
                    counter.set(0);
                    offload.onEventFdFired();
                });
            }
            return true;
        });
        when(ops.close(eq(EVENTFD), any(), any())).thenAnswer(call -> {
            eventFdCloses.incrementAndGet();
            completion(call.getArgument(2)).completed(0, call.getArgument(1));
            return 2L;
        });
    }

    @AfterEach
    void stopTheLoop() throws InterruptedException {
        if (offload != null) {
            offload.close();
        }
        loop.shutdown();
        assertThat(loop.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    @Test
    void digests_on_workers_and_delivers_on_the_loop() throws Exception {
        offload = DigestOffload.open(ops, 2).get(30, TimeUnit.SECONDS);
        byte[] data = "hello, offload".getBytes();
        CompletableFuture<String> thread = new CompletableFuture<>();
        CompletableFuture<byte[]> digest = new CompletableFuture<>();

        offload.submit(MemorySegment.ofArray(data), "tag", (sha, tag) -> {
            thread.complete(Thread.currentThread().getName() + "/" + tag);
            digest.complete(sha);
        });

        assertThat(digest.get(30, TimeUnit.SECONDS)).isEqualTo(sha256(data));
        assertThat(thread.get()).isEqualTo("fake-loop/tag");
        assertThat(offload.eventFd()).isEqualTo(EVENTFD);
    }

    @Test
    void digests_native_memory() throws Exception {
        offload = DigestOffload.open(ops, 1).get(30, TimeUnit.SECONDS);
        try (Arena arena = Arena.ofShared()) {
            MemorySegment buffer = arena.allocate(100_000);
            buffer.fill((byte) 7);
            CompletableFuture<byte[]> digest = new CompletableFuture<>();
            offload.submit(buffer, digest, (sha, future) -> future.complete(sha));
            byte[] expected = new byte[100_000];
            java.util.Arrays.fill(expected, (byte) 7);
            assertThat(digest.get(30, TimeUnit.SECONDS)).isEqualTo(sha256(expected));
        }
    }

    @Test
    void a_hundred_thousand_jobs_from_eight_threads_are_all_delivered_once_on_the_loop() throws Exception {
        offload = DigestOffload.open(ops, 4).get(30, TimeUnit.SECONDS);
        int threads = 8;
        int perThread = 12_500;
        boolean[][] delivered = new boolean[threads][perThread]; // loop-confined
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger wrong = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(threads * perThread);
        MessageDigest check = MessageDigest.getInstance("SHA-256"); // loop-confined

        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int submitter = t;
            submitters.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < perThread; i++) {
                    byte[] data = ByteBuffer.allocate(8).putInt(submitter).putInt(i).array();
                    int index = i;
                    offload.submit(MemorySegment.ofArray(data), data, (sha, bytes) -> {
                        if (!Thread.currentThread().getName().equals("fake-loop")
                                || !java.util.Arrays.equals(sha, check.digest(bytes))) {
                            wrong.incrementAndGet();
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

        assertThat(all.await(60, TimeUnit.SECONDS)).as("every job delivered").isTrue();
        assertThat(duplicates).hasValue(0);
        assertThat(wrong).hasValue(0);
        assertThat(signals.get()).as("wake-ups are coalesced").isLessThanOrEqualTo(threads * perThread + 1);
    }

    @Test
    void close_finishes_submitted_work_then_closes_the_eventfd_once() throws Exception {
        offload = DigestOffload.open(ops, 3).get(30, TimeUnit.SECONDS);
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 1000; i++) {
            offload.submit(MemorySegment.ofArray(new byte[] {(byte) i}), null, (sha, a) -> done.incrementAndGet());
        }

        offload.close();
        offload.close();

        offload.closed().get(30, TimeUnit.SECONDS);
        assertThat(done).hasValue(1000);
        assertThat(eventFdCloses).hasValue(1);
        assertThatThrownBy(() -> offload.digest(new byte[1])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void an_unreadable_buffer_is_delivered_as_null() throws Exception {
        offload = DigestOffload.open(ops, 1).get(30, TimeUnit.SECONDS);
        Arena arena = Arena.ofShared();
        MemorySegment gone = arena.allocate(16);
        arena.close();
        CompletableFuture<byte[]> digest = new CompletableFuture<>();
        offload.submit(gone, digest, (sha, future) -> future.complete(sha));
        assertThat(digest.get(30, TimeUnit.SECONDS)).isNull();
        assertThat(HexFormat.of().formatHex(offload.digest(new byte[0]).get(30, TimeUnit.SECONDS)))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void a_throwing_completion_does_not_cost_the_others_their_delivery() throws Exception {
        offload = DigestOffload.open(ops, 1).get(30, TimeUnit.SECONDS);
        List<Throwable> thrown = new ArrayList<>();
        // Hold the loop so both jobs are delivered by one onEventFdFired.
        CountDownLatch hold = new CountDownLatch(1);
        loop.execute(() -> {
            try {
                hold.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        doAnswer(call -> {
            signals.incrementAndGet();
            if (counter.getAndAdd(call.getArgument(1)) == 0) {
                loop.execute(() -> {
                    counter.set(0);
                    try {
                        offload.onEventFdFired();
                    } catch (RuntimeException e) {
                        thrown.add(e);
                    }
                });
            }
            return true;
        }).when(ops).signal(eq(EVENTFD), anyLong());
        CompletableFuture<byte[]> second = new CompletableFuture<>();
        offload.submit(MemorySegment.ofArray(new byte[1]), null, (sha, a) -> {
            throw new IllegalArgumentException("boom");
        });
        offload.submit(MemorySegment.ofArray(new byte[2]), second, (sha, future) -> future.complete(sha));
        offload.close();
        hold.countDown();

        assertThat(second.get(30, TimeUnit.SECONDS)).isEqualTo(sha256(new byte[2]));
        offload.closed().get(30, TimeUnit.SECONDS);
        loop.submit(() -> { }).get(30, TimeUnit.SECONDS);
        assertThat(thrown).singleElement().satisfies(e -> assertThat(e).hasMessage("boom"));
    }

    @Test
    void on_event_fd_fired_off_the_loop_is_refused() throws Exception {
        offload = DigestOffload.open(ops, 1).get(30, TimeUnit.SECONDS);
        assertThatThrownBy(offload::onEventFdFired).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loop");
    }

    @Test
    void an_eventfd_completing_before_open_returns_gives_a_running_library() throws Exception {
        doAnswer(call -> {
            completion(call.getArgument(2)).completed(EVENTFD, call.getArgument(1));
            return 1L;
        }).when(ops).eventfd(eq(0L), any(), any());

        CompletableFuture<DigestOffload> opened = DigestOffload.open(ops, 1);

        assertThat(opened).isCompleted();
        offload = opened.join();
        assertThat(offload.digest(new byte[] {1}).get(30, TimeUnit.SECONDS)).isEqualTo(sha256(new byte[] {1}));
    }

    @Test
    void the_end_is_reached_even_when_the_operations_were_closed_first() throws Exception {
        offload = DigestOffload.open(ops, 2).get(30, TimeUnit.SECONDS);
        doAnswer(call -> {
            throw new IllegalStateException("closed");
        }).when(ops).close(eq(EVENTFD), any(), any());

        offload.close();

        offload.closed().get(30, TimeUnit.SECONDS);
        assertThat(eventFdCloses).hasValue(0);
    }

    @Test
    void an_eventfd_that_cannot_be_created_fails_open() {
        when(ops.eventfd(eq(0L), any(), any())).thenAnswer(call -> {
            completion(call.getArgument(2)).completed(-AioErrno.EMFILE, call.getArgument(1));
            return 1L;
        });
        assertThatThrownBy(DigestOffload.open(ops, 1)::join).cause().isInstanceOf(AioException.class)
                .hasMessageContaining("EMFILE");
        assertThatThrownBy(() -> DigestOffload.open(ops, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
