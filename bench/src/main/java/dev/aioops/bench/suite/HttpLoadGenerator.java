package dev.aioops.bench.suite;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * What drives the HTTP workload: {@code wrk} when it is installed, else the Java load generator. Either runs as a
 * separate process, so that the CPU a trial counts is the server's alone.
 */
interface HttpLoadGenerator {

    /** Forces a generator: {@code -Dbench.loadgen=java} (or {@code wrk}); unset means wrk when installed. */
    String PROPERTY = "bench.loadgen";
    /** The same choice from the environment, which reaches the suite through Maven: {@code BENCH_LOADGEN=java}. */
    String ENVIRONMENT = "BENCH_LOADGEN";

    /** How the workload's variant names it, such as {@code wrk -t1}. */
    String label();

    /** Why it cannot run here, or null. */
    default String unavailable() {
        return null;
    }

    /**
     * Loads a server of this process with GETs of one file for about {@code duration}.
     *
     * @return requests completed over the measured span, and this process's CPU time meanwhile
     */
    default Trial run(InetSocketAddress server, String file, int connections, Duration duration) throws Exception {
        return run(server, file, connections, duration, CpuTime::now);
    }

    /**
     * Loads a server with GETs of one file for about {@code duration}, counting the server's CPU time with
     * {@code serverCpu} (read at the start and the end of the measured span): a server of another process, such
     * as nginx, is measured with its processes' clocks.
     *
     * @return requests completed over the measured span, and the server's CPU time meanwhile
     */
    Trial run(InetSocketAddress server, String file, int connections, Duration duration,
              Supplier<CpuTime> serverCpu) throws Exception;

    /** The generator of this run: the forced one, else wrk if installed, else the Java load generator. */
    static HttpLoadGenerator chosen() {
        String forced = System.getProperty(PROPERTY);
        if (forced == null) {
            forced = System.getenv(ENVIRONMENT);
        }
        String choice = forced == null ? "" : forced.strip().toLowerCase(Locale.ROOT);
        return switch (choice) {
            case "java" -> new JavaLoadGenerator();
            case "wrk" -> new WrkLoadGenerator();
            case "" -> WrkLoadGenerator.installed() ? new WrkLoadGenerator() : new JavaLoadGenerator();
            default -> throw new IllegalArgumentException(PROPERTY + " is java or wrk, not " + forced);
        };
    }
}
