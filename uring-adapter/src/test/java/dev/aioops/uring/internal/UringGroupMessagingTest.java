package dev.aioops.uring.internal;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tasks handed from member to member of a {@link UringGroup}, and from foreign threads: none lost, none run twice,
 * each producer's tasks in its order, through {@code MSG_RING} wake-ups and through the eventfd fallback, with
 * counters that prove which path carried the wake-ups.
 */
@Timeout(180)
class UringGroupMessagingTest {

    private static final int TOTAL = 1_000_000;
    private static final int FOREIGN_THREADS = 2;
    /** Tasks a member's loop sends per turn before it yields to its own I/O and inbox. */
    private static final int BATCH = 64;
    private static final long PAUSE_NANOS = 20_000;

    @ParameterizedTest(name = "{0} members, MSG_RING {1}")
    @CsvSource({"2, true", "2, false", "4, true", "4, false"})
    void aMillionCrossMemberTasksArriveOnceAndInOrder(int size, boolean msgRing) throws Exception {
        try (UringGroup group = UringGroup.open(AioConfig.defaults(), size, true, msgRing, false)) {
            assertThat(group.throughRing()).isEqualTo(msgRing);
            int producers = size + FOREIGN_THREADS;
            // Per target member: the next sequence number expected from each producer (touched on its loop only).
            long[][] expected = new long[size][producers];
            AtomicLong received = new AtomicLong();
            ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
            CompletableFuture<Void> all = new CompletableFuture<>();
            int perLoop = TOTAL / 2 / size;
            int perForeign = (TOTAL - perLoop * size) / FOREIGN_THREADS;
            long total = (long) perLoop * size + (long) perForeign * FOREIGN_THREADS;
            Deliveries deliveries = new Deliveries(group, expected, received, errors, all, total);

            for (int p = 0; p < size; p++) {
                AioOperations self = group.member(p);
                int producer = p;
                self.execute(new LoopProducer(group, self, producer, perLoop, deliveries));
            }
            List<Thread> foreign = new ArrayList<>();
            for (int f = 0; f < FOREIGN_THREADS; f++) {
                int producer = size + f;
                Thread t = new Thread(() -> {
                    long[] seq = new long[size];
                    for (int i = 0; i < perForeign; i++) {
                        int target = i % size;
                        deliveries.send(producer, target, seq[target]++);
                    }
                }, "foreign-producer-" + f);
                t.start();
                foreign.add(t);
            }
            all.get(150, TimeUnit.SECONDS);
            for (Thread t : foreign) {
                t.join();
            }
            assertThat(errors).isEmpty();
            // A task run twice would push the count past the total before the last one arrived.
            assertThat(received.get()).isEqualTo(total);
            for (int target = 0; target < size; target++) {
                long sum = 0;
                for (long n : expected[target]) {
                    sum += n;
                }
                assertThat(sum).as("tasks run on member %d", target).isPositive();
            }
            long ringSent = 0;
            long ringReceived = 0;
            long eventfd = 0;
            for (int i = 0; i < size; i++) {
                ringSent += group.ringWakeupsSent(i);
                ringReceived += group.ringWakeupsReceived(i);
                eventfd += group.eventfdWakeups(i);
            }
            if (msgRing) {
                assertThat(ringSent).as("MSG_RING wake-ups sent").isPositive();
                assertThat(ringReceived).as("MSG_RING wake-ups received").isPositive().isLessThanOrEqualTo(ringSent);
            } else {
                assertThat(ringSent).isZero();
                assertThat(ringReceived).isZero();
            }
            // The foreign threads always wake through the eventfd.
            assertThat(eventfd).as("eventfd wake-ups").isPositive();
        }
    }

    @Test
    void aMemberAsleepInTheKernelIsWokenByAMessageOnTheSendersRing() throws Exception {
        try (UringGroup group = UringGroup.open(AioConfig.defaults(), 2, true, true, false)) {
            UringAioOperations target = (UringAioOperations) group.member(1);
            CompletableFuture<String> targetTid = new CompletableFuture<>();
            target.execute(() -> targetTid.complete(KernelThreads.currentTid()));
            String tid = targetTid.get(10, TimeUnit.SECONDS);
            for (int round = 0; round < 20; round++) {
                // Asleep for the gate and blocked in io_uring_enter (DEFER_TASKRUN: the message is task work for it).
                for (int spins = 0; !target.loop().wakeup().sleeping() || KernelThreads.state(tid) != 'S'; spins++) {
                    UringLoop.backOff(spins);
                }
                long eventfdBefore = group.eventfdWakeups(1);
                long ringBefore = group.ringWakeupsReceived(1);
                CompletableFuture<Thread> ran = new CompletableFuture<>();
                group.member(0).execute(() -> target.execute(() -> ran.complete(Thread.currentThread())));
                assertThat(ran.get(10, TimeUnit.SECONDS).getName()).isNotEqualTo(Thread.currentThread().getName());
                assertThat(group.eventfdWakeups(1)).as("no eventfd write woke the target").isEqualTo(eventfdBefore);
                assertThat(group.ringWakeupsReceived(1)).isGreaterThan(ringBefore);
            }
        }
    }

    /** Counts and checks deliveries; runs each task's check on the target's loop. */
    private record Deliveries(UringGroup group, long[][] expected, AtomicLong received,
                              ConcurrentLinkedQueue<String> errors, CompletableFuture<Void> all, long total) {

        void send(int producer, int target, long seq) {
            group.member(target).execute(() -> {
                long want = expected[target][producer];
                if (want != seq && errors.size() < 10) {
                    errors.add("member " + target + " got task " + seq + " of producer " + producer + ", expected "
                            + want);
                }
                expected[target][producer] = seq + 1;
                if (received.incrementAndGet() == total) {
                    all.complete(null);
                }
            });
        }
    }

    /** A member's loop sending its share to the other members, a batch per turn. */
    private static final class LoopProducer implements Runnable {
        private final UringGroup group;
        private final AioOperations self;
        private final int producer;
        private final int quota;
        private final Deliveries deliveries;
        private final long[] seq;
        private int sent;

        LoopProducer(UringGroup group, AioOperations self, int producer, int quota, Deliveries deliveries) {
            this.group = group;
            this.self = self;
            this.producer = producer;
            this.quota = quota;
            this.deliveries = deliveries;
            this.seq = new long[group.size()];
        }

        @Override
        public void run() {
            int size = group.size();
            for (int i = 0; i < BATCH && sent < quota; i++, sent++) {
                int target = (producer + 1 + sent % (size - 1)) % size;
                deliveries.send(producer, target, seq[target]++);
            }
            if (sent < quota) {
                // A short pause between batches lets the targets drain and fall asleep, so that wake-ups happen.
                self.timeout(PAUSE_NANOS, null, (r, a) -> run());
            }
        }
    }
}
