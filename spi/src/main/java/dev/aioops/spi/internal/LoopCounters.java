package dev.aioops.spi.internal;

import dev.aioops.spi.AioStats;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The counters behind {@link AioStats} that every adapter keeps the same way: plain {@code long} fields that only
 * the loop thread increments, so that counting costs an add on a line the loop owns, no fence and no allocation.
 * Other threads read them with opaque accesses ({@link #snapshot}): never torn on a 64-bit JVM, never hoisted out of
 * a reader's loop, possibly a turn stale (see {@link AioStats}).
 */
public final class LoopCounters {

    private static final VarHandle SUBMITTED;
    private static final VarHandle COMPLETED;
    private static final VarHandle TURNS;
    private static final VarHandle WAKEUPS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            SUBMITTED = l.findVarHandle(LoopCounters.class, "submitted", long.class);
            COMPLETED = l.findVarHandle(LoopCounters.class, "completed", long.class);
            TURNS = l.findVarHandle(LoopCounters.class, "turns", long.class);
            WAKEUPS = l.findVarHandle(LoopCounters.class, "wakeups", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private long submitted;
    private long completed;
    private long turns;
    private long wakeups;
    /** The kernel id of the loop thread, for counting its io-wq workers; -1 until known. */
    private volatile int loopTid = -1;

    /** Creates counters at 0. */
    public LoopCounters() {
    }

    /** Loop: an operation was accepted. */
    public void submitted() {
        submitted++;
    }

    /** Loop: a completion ran. */
    public void completed() {
        completed++;
    }

    /** Loop: a turn began. */
    public void turn() {
        turns++;
    }

    /** Loop: another thread woke the sleeping loop. */
    public void wakeup() {
        wakeups++;
    }

    /** Loop thread, once: remembers its kernel thread id ({@code /proc/thread-self}), -1 where there is none. */
    public void bindLoopThread() {
        try {
            String link = Files.readSymbolicLink(Path.of("/proc/thread-self")).toString();
            loopTid = Integer.parseInt(link.substring(link.lastIndexOf('/') + 1));
        } catch (Exception e) {
            loopTid = -1; // not Linux, or no /proc: kernel workers are not counted
        }
    }

    /**
     * Any thread.
     *
     * @return the loop thread's kernel id, or -1 if it has not run yet or cannot be known
     */
    public int loopTid() {
        return loopTid;
    }

    /**
     * Any thread: a snapshot of these counters and of those the adapter keeps elsewhere.
     *
     * @param adapter       the adapter name
     * @param enters        io_uring_enter calls, or 0
     * @param sqes          SQEs those calls submitted, or 0
     * @param cqOverflows   CQ overflow flushes, or 0
     * @param extraWakeups  wake-ups counted elsewhere (eventfd writes, MSG_RING), added to {@link #wakeup()}'s
     * @param kernelWorkers kernel workers, or 0
     * @return the snapshot
     */
    public AioStats snapshot(String adapter, long enters, long sqes, long cqOverflows, long extraWakeups,
                             int kernelWorkers) {
        // Completed first: a completion whose submission is not visible yet would make inFlight negative.
        long c = (long) COMPLETED.getOpaque(this);
        long s = Math.max(c, (long) SUBMITTED.getOpaque(this));
        return new AioStats(adapter, s, c, s - c, (long) TURNS.getOpaque(this), enters, sqes, cqOverflows,
                (long) WAKEUPS.getOpaque(this) + extraWakeups, kernelWorkers);
    }

    /**
     * Counts the io-wq worker threads ({@code iou-wrk-<tid>}) serving the thread {@code tid}, from
     * {@code /proc/self/task/<id>/comm}: a directory scan, for a snapshot, never for the loop.
     *
     * @param tid a kernel thread id, or -1
     * @return how many workers it has now; 0 when {@code tid < 0} or {@code /proc} cannot be read
     */
    public static int kernelWorkersOf(int tid) {
        if (tid < 0) {
            return 0;
        }
        String name = "iou-wrk-" + tid;
        int n = 0;
        try (var tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                try {
                    if (Files.readString(t.resolve("comm")).strip().equals(name)) {
                        n++;
                    }
                } catch (java.io.IOException gone) {
                    // the thread exited while we listed
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
        return n;
    }
}
