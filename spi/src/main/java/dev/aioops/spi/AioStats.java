package dev.aioops.spi;

import java.util.Collection;
import java.util.Objects;

/**
 * A snapshot of what one {@link AioOperations} (or, summed, one {@link AioGroup}) has done since it opened: the
 * figures an operator wants without a debugger. Obtain it with {@link AioOperations#stats()} or
 * {@link AioGroup#stats()}; the same figures reach JFR as the {@code dev.aioops.Loop} event
 * ({@link dev.aioops.spi.jfr.AioLoopEvent}) and Micrometer through the {@code aioops-micrometer} binder.
 *
 * <p><b>Staleness.</b> The counters are plain fields that the loop increments as it works (so that counting costs
 * nothing measurable on the hot path) and that {@code stats()} reads without synchronising with the loop. A
 * snapshot taken on another thread may therefore lag the loop by the work of a turn or so, and its fields need
 * not be mutually consistent (a completion may be counted before its submission is visible). Taken on the loop
 * thread, or from another thread once the loop is quiet and a task passed through {@link
 * AioOperations#execute(Runnable)} has run since, it is exact. Every counter only grows.
 *
 * <p><b>What each adapter counts.</b> {@code submitted}, {@code completed} and {@code inFlight} on every adapter.
 * {@code turns} and {@code wakeups} where the adapter runs a loop of its own (io_uring, epoll); 0 on Vert.x, whose
 * event loop belongs to Vert.x. {@code enters}, {@code sqes}, {@code cqOverflows} and {@code kernelWorkers} on
 * io_uring alone; 0 elsewhere (also in the Vert.x shared-ring mode, where Netty enters the ring).
 *
 * @param adapter       the adapter name, as {@link AioOperations#adapterName()}
 * @param submitted     operations accepted (each submitting call that returned a token and reached the loop)
 * @param completed     completions run (each accepted operation completes once)
 * @param inFlight      operations accepted and not completed yet: {@code submitted - completed}, never negative
 * @param turns         loop turns (each: take the inbox, run what is ready, submit, maybe sleep)
 * @param enters        {@code io_uring_enter(2)} calls
 * @param sqes          submission-queue entries handed to the kernel by those calls
 * @param cqOverflows   times the kernel's completion-queue overflow list had to be flushed (no completion is lost)
 * @param wakeups       times another thread woke the sleeping loop (an eventfd write, a {@code MSG_RING}, a
 *                      selector wake-up)
 * @param kernelWorkers io_uring kernel worker threads ({@code iou-wrk-*}) serving this loop right now; in a group
 *                      whose rings share one pool ({@code ATTACH_WQ}) they are all counted on the member that owns it
 */
public record AioStats(String adapter, long submitted, long completed, long inFlight, long turns, long enters,
                       long sqes, long cqOverflows, long wakeups, int kernelWorkers) {

    /**
     * Checks the components.
     *
     * @throws NullPointerException     if {@code adapter} is null
     * @throws IllegalArgumentException if a counter is negative
     */
    public AioStats {
        Objects.requireNonNull(adapter, "adapter");
        if ((submitted | completed | inFlight | turns | enters | sqes | cqOverflows | wakeups | kernelWorkers) < 0) {
            throw new IllegalArgumentException("AioStats counters are never negative: " + submitted + ", "
                    + completed + ", " + inFlight + ", " + turns + ", " + enters + ", " + sqes + ", " + cqOverflows
                    + ", " + wakeups + ", " + kernelWorkers);
        }
    }

    /**
     * Statistics of an adapter that counts nothing: every counter 0.
     *
     * @param adapter the adapter name
     * @return the empty snapshot
     */
    public static AioStats empty(String adapter) {
        return new AioStats(adapter, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /**
     * The sum of several snapshots, for a group.
     *
     * @param adapter the adapter name of the sum
     * @param all     the snapshots to add up
     * @return their sum, counter by counter
     */
    public static AioStats sum(String adapter, Collection<AioStats> all) {
        AioStats total = empty(adapter);
        for (AioStats s : all) {
            total = new AioStats(adapter, total.submitted + s.submitted, total.completed + s.completed,
                    total.inFlight + s.inFlight, total.turns + s.turns, total.enters + s.enters, total.sqes + s.sqes,
                    total.cqOverflows + s.cqOverflows, total.wakeups + s.wakeups,
                    total.kernelWorkers + s.kernelWorkers);
        }
        return total;
    }

    /**
     * The mean batch size of submission: SQEs per {@code io_uring_enter}.
     *
     * @return {@code sqes / enters}, or 0 before the first enter (and on adapters without a ring)
     */
    public double sqesPerEnter() {
        return enters == 0 ? 0 : (double) sqes / enters;
    }

    /**
     * The mean batch size of completion: completions per loop turn (idle turns included).
     *
     * @return {@code completed / turns}, or 0 where the adapter has no turns of its own
     */
    public double completionsPerTurn() {
        return turns == 0 ? 0 : (double) completed / turns;
    }
}
