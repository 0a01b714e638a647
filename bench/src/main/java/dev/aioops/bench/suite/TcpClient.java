package dev.aioops.bench.suite;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** One client connection of a TCP workload: works from its start until a deadline, on the clients' loop. */
interface TcpClient {

    /** How long a run may overrun its deadline before it counts as hung. */
    long WAIT_SECONDS = 120;

    /** Starts working until {@code deadline} ({@link System#nanoTime()}), then counts {@code done} down once. */
    void start(long deadline, CountDownLatch done);

    /**
     * The work done in the last run (round trips, bytes); called once {@code done} has been counted down.
     *
     * @throws Exception the connection's failure, if it failed
     */
    long work() throws Exception;

    /**
     * Runs every client on {@code clientLoop} for about {@code durationNanos} and waits until all have stopped;
     * returns their work.
     */
    static long runAll(List<? extends TcpClient> clients, long durationNanos, Executor clientLoop) throws Exception {
        CountDownLatch done = new CountDownLatch(clients.size());
        long deadline = System.nanoTime() + durationNanos;
        clientLoop.execute(() -> {
            for (TcpClient c : clients) {
                c.start(deadline, done);
            }
        });
        if (!done.await(durationNanos / 1_000_000 + WAIT_SECONDS * 1000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("connections did not finish");
        }
        long total = 0;
        for (TcpClient c : clients) {
            total += c.work();
        }
        return total;
    }
}
