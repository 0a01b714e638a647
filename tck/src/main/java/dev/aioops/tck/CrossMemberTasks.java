package dev.aioops.tck;

import dev.aioops.spi.AioGroup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many tasks passed between the members of a group with {@link AioGroup#execute(int, Runnable)}: each member's
 * loop sends to every other member, in batches so that it keeps running the tasks it receives, and foreign
 * threads send to every member. Each task carries its producer and its sequence number towards its target, so
 * that the target's loop sees a task lost, doubled or out of its producer's order.
 *
 * <p>Producers 0 to {@code size - 1} are the members' loops; the rest are foreign threads. Thread-safe as used:
 * what a target records is confined to that target's loop and read back through a task on it.
 */
final class CrossMemberTasks {

    /** How many tasks a loop sends before it lets its loop run other work. */
    private static final int BATCH = 512;

    private final AioGroup group;
    private final int members;
    private final int producers;
    private final int perProducer;
    /** The last sequence number seen by target {@code t} from producer {@code p}; confined to t's loop. */
    private final int[][] lastSeen;
    /** How many tasks producer {@code p} sent to target {@code t}; written by p, read after p finished. */
    private final int[][] sent;
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger outOfOrder = new AtomicInteger();
    private final AtomicInteger offLoop = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch all = new CountDownLatch(1);
    private final CountDownLatch producersDone;

    /**
     * @param group   a group of at least two members
     * @param foreign how many foreign producer threads
     * @param tasks   how many tasks in all, divided evenly over the producers
     */
    CrossMemberTasks(AioGroup group, int foreign, int tasks) {
        this.group = group;
        this.members = group.size();
        this.producers = members + foreign;
        this.perProducer = tasks / producers;
        this.lastSeen = new int[members][producers];
        this.sent = new int[producers][members];
        for (int[] row : lastSeen) {
            Arrays.fill(row, -1);
        }
        this.producersDone = new CountDownLatch(producers);
    }

    /** How many tasks are sent in all. */
    int total() {
        return perProducer * producers;
    }

    /** Starts every producer: a batch task on each member, then the foreign threads together. */
    void start() throws InterruptedException {
        for (int m = 0; m < members; m++) {
            group.execute(m, new LoopProducer(m));
        }
        CyclicBarrier go = new CyclicBarrier(producers - members);
        List<Thread> threads = new ArrayList<>();
        for (int p = members; p < producers; p++) {
            int producer = p;
            threads.add(Thread.ofPlatform().name("cross-member-producer-" + p).start(() -> {
                try {
                    go.await(30, TimeUnit.SECONDS);
                    for (int i = 0; i < perProducer; i++) {
                        send(producer, i % members);
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    producersDone.countDown();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /**
     * Waits until every task has run.
     *
     * @param timeout how long to wait
     * @return {@code true} if all ran in time
     */
    boolean awaitAll(Duration timeout) throws InterruptedException {
        return all.await(timeout.toNanos(), TimeUnit.NANOSECONDS) && producersDone.await(1, TimeUnit.SECONDS);
    }

    /** Asserts that every task ran once, on its target's loop, in its producer's order. */
    void assertEachRanOnceInOrder() throws InterruptedException {
        assertThat(failure.get()).as("a producer failed").isNull();
        assertThat(outOfOrder.get()).as("tasks run out of their producer's order, twice or after a lost one")
                .isZero();
        assertThat(offLoop.get()).as("tasks run off their target member's loop").isZero();
        int[][] seen = new int[members][];
        CountDownLatch read = new CountDownLatch(members);
        for (int t = 0; t < members; t++) {
            int target = t;
            group.execute(t, () -> {
                seen[target] = lastSeen[target].clone();
                read.countDown();
            });
        }
        assertThat(read.await(30, TimeUnit.SECONDS)).isTrue();
        for (int t = 0; t < members; t++) {
            for (int p = 0; p < producers; p++) {
                assertThat(seen[t][p] + 1).as("tasks from producer %d run on member %d", p, t).isEqualTo(sent[p][t]);
            }
        }
        assertThat(received.get()).as("tasks run in all").isEqualTo(total());
    }

    private void send(int producer, int target) {
        int seq = sent[producer][target]++;
        group.execute(target, () -> receive(target, producer, seq));
    }

    private void receive(int target, int producer, int seq) {
        if (lastSeen[target][producer] != seq - 1) {
            outOfOrder.incrementAndGet();
        }
        lastSeen[target][producer] = seq;
        if (!group.member(target).inLoop()) {
            offLoop.incrementAndGet();
        }
        if (received.incrementAndGet() == total()) {
            all.countDown();
        }
    }

    @Override
    public String toString() {
        return "CrossMemberTasks[received=" + received.get() + " of " + total() + ", outOfOrder=" + outOfOrder.get()
                + ", failure=" + failure.get() + "]";
    }

    /** A member's loop as a producer: sends a batch to the other members, then queues itself again. */
    private final class LoopProducer implements Runnable {
        private final int self;
        private int done;

        LoopProducer(int self) {
            this.self = self;
        }

        @Override
        public void run() {
            try {
                int end = Math.min(done + BATCH, perProducer);
                for (; done < end; done++) {
                    // The other members in turn: skip self.
                    int target = (self + 1 + done % (members - 1)) % members;
                    send(self, target);
                }
                if (done < perProducer) {
                    group.execute(self, this);
                } else {
                    producersDone.countDown();
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                producersDone.countDown();
            }
        }
    }
}
