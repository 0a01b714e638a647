package dev.aioops.bench.crossthread;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;

/**
 * One producer thread's side of the cross-thread workload: hands the loop the same preallocated task again and again
 * (the task counts itself on the loop), at most {@link #WINDOW} ahead of the loop, so that a producer cannot outrun
 * the loop without bound and the measure stays one of throughput, not of queue growth. Sending allocates nothing
 * here (the loop's queue may). Used by one thread at a time.
 */
public final class CrossThreadProducer {

    /** Messages a producer may have handed over and the loop not yet run. */
    public static final int WINDOW = 1024;

    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final CrossThreadLoop loop;
    private final CountingTask task = new CountingTask();
    private long sent;

    /**
     * Creates a producer for a loop.
     *
     * @param loop the loop
     */
    public CrossThreadProducer(CrossThreadLoop loop) {
        this.loop = loop;
    }

    /** Hands the loop one message, first waiting (spinning, then yielding) while {@link #WINDOW} are pending. */
    public void send() {
        if (sent - task.consumed() >= WINDOW) {
            awaitBacklog(WINDOW - 1);
        }
        loop.execute(task);
        sent++;
    }

    /**
     * Waits until the loop has run every message this producer sent.
     *
     * @throws IllegalStateException if it has not after 30 s (a dead loop)
     */
    public void drain() {
        awaitBacklog(0);
    }

    /**
     * The messages sent so far.
     *
     * @return the count
     */
    public long sent() {
        return sent;
    }

    private void awaitBacklog(long backlog) {
        long deadline = 0;
        for (int spins = 0; sent - task.consumed() > backlog; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
                continue;
            }
            // Two cores, two producers and the loop: a producer that spins on starves the loop it waits for.
            Thread.yield();
            if ((spins & 1023) == 0) {
                long now = System.nanoTime();
                if (deadline == 0) {
                    deadline = now + DRAIN_TIMEOUT_NANOS;
                } else if (now - deadline > 0) {
                    throw new IllegalStateException(loop.name() + " ran " + task.consumed() + " of " + sent
                            + " messages and no more in 30 s");
                }
            }
        }
    }

    /** Cache-line padding before the counter, so that producers' counters do not share a line. */
    @SuppressWarnings("unused")
    private abstract static class PadBefore {
        private long p01, p02, p03, p04, p05, p06, p07;
    }

    /** The counter, written by the loop thread only. */
    private abstract static class Counter extends PadBefore {
        static final VarHandle CONSUMED;

        static {
            try {
                CONSUMED = MethodHandles.lookup().findVarHandle(Counter.class, "consumed", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        long consumed;
    }

    /** The task: counts its runs on the loop; the producer reads the count to bound its backlog. */
    @SuppressWarnings("unused")
    private static final class CountingTask extends Counter implements Runnable {
        private long p11, p12, p13, p14, p15, p16, p17;

        @Override
        public void run() {
            // Only the loop thread writes: a plain read and a release store (no fence on x86) suffice.
            CONSUMED.setRelease(this, consumed + 1);
        }

        long consumed() {
            return (long) CONSUMED.getAcquire(this);
        }
    }
}
