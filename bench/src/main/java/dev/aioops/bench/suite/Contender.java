package dev.aioops.bench.suite;

import dev.aioops.spi.AioStats;

/**
 * One way of doing a workload: an aioops adapter, a JDK API, another library, or an external tool. Prepared once
 * per workload (opening its adapter, say), run several times, closed at the end.
 */
interface Contender extends AutoCloseable {

    /** The name shown in tables and charts. */
    String name();

    /** Why it cannot run here (an adapter unavailable, a tool not installed), or null when it can. */
    default String unavailable() {
        return null;
    }

    /** One timed run. */
    Trial run() throws Exception;

    /** The aioops counters of the measured runs, summed over the instances it uses ({@link BatchSizes}), or null. */
    default AioStats stats() {
        return null;
    }

    @Override
    default void close() throws Exception {
    }
}
