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
