package dev.aioops.bench.suite;

import java.util.function.Supplier;

/**
 * One timed run of one contender.
 *
 * @param work        what was done, in the workload's unit (bytes or operations)
 * @param wallNanos   elapsed time
 * @param userNanos   user CPU time of the measured process(es)
 * @param systemNanos system CPU time of the measured process(es)
 * @param check       a value that must be equal for every contender of a workload (a checksum), or 0
 * @param wakeups     wake-up system calls made by the threads that handed the loop its work, or
 *                    {@link #NOT_COUNTED} (the cross-thread workload counts them)
 * @param loopSleeps  times the loop thread slept, or {@link #NOT_COUNTED}
 */
record Trial(double work, long wallNanos, long userNanos, long systemNanos, long check, long wakeups,
             long loopSleeps) {

    /** A count the workload does not take. */
    static final long NOT_COUNTED = -1;

    /** A trial of a workload that counts no wake-ups. */
    Trial(double work, long wallNanos, long userNanos, long systemNanos, long check) {
        this(work, wallNanos, userNanos, systemNanos, check, NOT_COUNTED, NOT_COUNTED);
    }

    /** Runs {@code body}, timing it with this process's clocks. */
    static Trial measure(Body body) throws Exception {
        return measure(CpuTime::now, body);
    }

    /** Runs {@code body}, timing it with {@code cpuClock} (the CPU time of the processes doing the work). */
    static Trial measure(Supplier<CpuTime> cpuClock, Body body) throws Exception {
        CpuTime cpuBefore = cpuClock.get();
        long start = System.nanoTime();
        Outcome outcome = body.run();
        long wall = System.nanoTime() - start;
        CpuTime cpu = cpuClock.get().minus(cpuBefore);
        return new Trial(outcome.work(), wall, cpu.userNanos(), cpu.systemNanos(), outcome.check(),
                outcome.wakeups(), outcome.loopSleeps());
    }

    /**
     * Runs {@code body} {@code passes} times in one timed trial, so that a short piece of work is measured over a
     * span the CPU clock (10 ms ticks) can resolve; the check value is the last pass's.
     */
    static Trial measure(int passes, Body body) throws Exception {
        return measure(() -> {
            Outcome last = null;
            double work = 0;
            for (int i = 0; i < passes; i++) {
                last = body.run();
                work += last.work();
            }
            return new Outcome(work, last.check());
        });
    }

    double perSecond() {
        return work / (wallNanos / 1e9);
    }

    double cpuNanos() {
        return userNanos + systemNanos;
    }

    /** What a run did; wake-ups and loop sleeps as in {@link Trial}. */
    record Outcome(double work, long check, long wakeups, long loopSleeps) {

        /** What a run that counts no wake-ups did. */
        Outcome(double work, long check) {
            this(work, check, NOT_COUNTED, NOT_COUNTED);
        }
    }

    /** The measured part of a run. */
    @FunctionalInterface
    interface Body {
        Outcome run() throws Exception;
    }
}
