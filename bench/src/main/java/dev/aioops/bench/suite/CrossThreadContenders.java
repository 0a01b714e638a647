package dev.aioops.bench.suite;

import dev.aioops.bench.crossthread.CrossThreadLoop;
import dev.aioops.bench.crossthread.CrossThreadProducer;
import dev.aioops.bench.crossthread.ThreadCounters;
import dev.aioops.spi.AioProvider;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The contenders of the cross-thread execute workload: producer threads hand one loop an empty task as fast as the
 * loop runs them ({@link CrossThreadProducer}: a bounded backlog, nothing allocated by the producer), for a fixed
 * time; messages per second, and the wake-up syscalls and loop sleeps that cost ({@link ThreadCounters}).
 */
final class CrossThreadContenders {

    private CrossThreadContenders() {
    }

    static Contender aioops(AioProvider provider, int producers, Duration duration) {
        return contender(AdapterContender.nameOf(provider), AdapterContender.unavailable(provider),
                () -> CrossThreadLoop.adapter(provider), producers, duration);
    }

    static Contender jdkSingleThread(int producers, Duration duration) {
        return contender("JDK single-thread executor", null, CrossThreadLoop::jdkSingleThread, producers, duration);
    }

    static Contender nettyEpoll(int producers, Duration duration) {
        return contender("Netty epoll event loop", CrossThreadLoop.nettyUnavailable(), CrossThreadLoop::nettyEpoll,
                producers, duration);
    }

    /** A contender on the loop {@code open} makes, at its first run. */
    private static Contender contender(String name, String unavailable, Supplier<CrossThreadLoop> open,
                                       int producers, Duration duration) {
        return new Contender() {
            private final Driver driver = new Driver(open, producers, duration);

            @Override
            public String name() {
                return name;
            }

            @Override
            public String unavailable() {
                return unavailable;
            }

            @Override
            public Trial run() throws Exception {
                return driver.run();
            }

            @Override
            public void close() throws Exception {
                driver.close();
            }
        };
    }

    /** Opens the loop at the first run and keeps it; each run starts its producer threads anew. */
    private static final class Driver implements AutoCloseable {
        private final Supplier<CrossThreadLoop> open;
        private final int producers;
        private final Duration duration;
        private CrossThreadLoop loop;

        Driver(Supplier<CrossThreadLoop> open, int producers, Duration duration) {
            this.open = open;
            this.producers = producers;
            this.duration = duration;
        }

        Trial run() throws Exception {
            if (loop == null) {
                loop = open.get();
            }
            CountDownLatch ready = new CountDownLatch(producers);
            CountDownLatch start = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(producers);
            long[] sent = new long[producers];
            long[] wakeups = new long[producers];
            AtomicReference<Throwable> failure = new AtomicReference<>();
            for (int i = 0; i < producers; i++) {
                int index = i;
                Thread.ofPlatform().name("cross-thread-producer-" + i).daemon().start(() -> {
                    try {
                        produce(index, ready, start, sent, wakeups);
                    } catch (Throwable t) {
                        failure.compareAndSet(null, t);
                        ready.countDown();
                    } finally {
                        done.countDown();
                    }
                });
            }
            ready.await();
            long sleepsBefore = ThreadCounters.voluntarySwitches(loop.loopTid());
            Trial trial = Trial.measure(() -> {
                start.countDown();
                if (!done.await(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException(loop.name() + ": producers did not finish");
                }
                long sleeps = ThreadCounters.voluntarySwitches(loop.loopTid()) - sleepsBefore;
                long messages = 0;
                long writes = 0;
                for (int i = 0; i < producers; i++) {
                    messages += sent[i];
                    writes += wakeups[i];
                }
                return new Trial.Outcome(messages, 0, loop.wakeupsCounted() ? writes : Trial.NOT_COUNTED, sleeps);
            });
            if (failure.get() != null) {
                throw new IllegalStateException(loop.name() + ": a producer failed", failure.get());
            }
            return trial;
        }

        /** One producer thread: sends until the time is up, then waits for the loop to run all it sent. */
        private void produce(int index, CountDownLatch ready, CountDownLatch start, long[] sent, long[] wakeups)
                throws InterruptedException {
            CrossThreadProducer producer = new CrossThreadProducer(loop);
            int tid = ThreadCounters.currentTid();
            long writesBefore = ThreadCounters.writeSyscalls(tid);
            ready.countDown();
            start.await();
            long deadline = System.nanoTime() + duration.toNanos();
            do {
                for (int i = 0; i < 256; i++) {
                    producer.send();
                }
            } while (System.nanoTime() - deadline < 0);
            producer.drain();
            sent[index] = producer.sent();
            wakeups[index] = ThreadCounters.writeSyscalls(tid) - writesBefore;
        }

        @Override
        public void close() throws Exception {
            if (loop != null) {
                loop.close();
            }
        }
    }
}
