package dev.aioops.bench.suite;

/**
 * One timed run of one contender.
 *
 * @param work        what was done, in the workload's unit (bytes or operations)
 * @param wallNanos   elapsed time
 * @param userNanos   user CPU time of the measured process(es)
 * @param systemNanos system CPU time of the measured process(es)
 * @param check       a value that must be equal for every contender of a workload (a checksum), or 0
 */
record Trial(double work, long wallNanos, long userNanos, long systemNanos, long check) {

    /** Runs {@code body}, timing it with this process's clocks. */
    static Trial measure(Body body) throws Exception {
        CpuTime cpuBefore = CpuTime.now();
        long start = System.nanoTime();
        Outcome outcome = body.run();
        long wall = System.nanoTime() - start;
        CpuTime cpu = CpuTime.now().minus(cpuBefore);
        return new Trial(outcome.work(), wall, cpu.userNanos(), cpu.systemNanos(), outcome.check());
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

    /** What a run did. */
    record Outcome(double work, long check) {
    }

    /** The measured part of a run. */
    @FunctionalInterface
    interface Body {
        Outcome run() throws Exception;
    }
}
