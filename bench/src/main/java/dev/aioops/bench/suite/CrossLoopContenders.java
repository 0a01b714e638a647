package dev.aioops.bench.suite;

import dev.aioops.bench.crossthread.CrossLoopPair;
import dev.aioops.bench.crossthread.ThreadCounters;
import dev.aioops.spi.Aio;
import dev.aioops.spi.AioProvider;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The contenders of the cross-loop workload: two loops of one group hand each other messages from their own threads
 * ({@link CrossLoopPair}). Messages per second (both ways), CPU per message, and the wake-up system calls
 * ({@code write(2)}s of the two loop threads: {@code eventfd} writes; a {@code MSG_RING} rides in the sender's
 * {@code io_uring_enter} and counts none) and loop sleeps per message ({@link ThreadCounters}).
 */
final class CrossLoopContenders {

    private CrossLoopContenders() {
    }

    static Contender uring(boolean msgRing, Duration duration, int window, int ackEvery) {
        String name = "aioops uring group, " + (msgRing ? "MSG_RING" : "eventfd (forced)");
        AioProvider uring = Aio.provider("uring").orElse(null);
        String unavailable = uring == null ? "no uring adapter" : AdapterContender.unavailable(uring);
        return contender(name, unavailable, () -> CrossLoopPair.uring(msgRing), duration, window, ackEvery);
    }

    static Contender netty(boolean ioUring, Duration duration, int window, int ackEvery) {
        return contender("Netty EventLoopGroup, " + (ioUring ? "io_uring" : "epoll"),
                CrossLoopPair.nettyUnavailable(ioUring), () -> CrossLoopPair.netty(ioUring), duration, window,
                ackEvery);
    }

    private static Contender contender(String name, String unavailable, Supplier<CrossLoopPair> open,
                                       Duration duration, int window, int ackEvery) {
        return new Contender() {
            private CrossLoopPair pair;

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
                if (pair == null) {
                    pair = open.get();
                }
                int[] tids = pair.loopTids();
                long writesBefore = writes(tids);
                long sleepsBefore = sleeps(tids);
                return Trial.measure(() -> {
                    long messages = pair.run(duration.toNanos(), window, ackEvery);
                    return new Trial.Outcome(messages, 0, writes(tids) - writesBefore, sleeps(tids) - sleepsBefore);
                });
            }

            @Override
            public void close() throws Exception {
                if (pair != null) {
                    pair.close();
                }
            }
        };
    }

    private static long writes(int[] tids) {
        long n = 0;
        for (int tid : tids) {
            n += ThreadCounters.writeSyscalls(tid);
        }
        return n;
    }

    private static long sleeps(int[] tids) {
        long n = 0;
        for (int tid : tids) {
            n += ThreadCounters.voluntarySwitches(tid);
        }
        return n;
    }
}
