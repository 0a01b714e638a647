package dev.aioops.bench.suite;

/**
 * One contender's side of a TCP workload over loopback (ping-pong, streaming): connected once, before its first
 * timed run, run several times, closed at the end.
 */
interface TcpDriver {

    /** Listens, accepts and connects every client; not measured. */
    void connect() throws Exception;

    /** Runs the workload on every connection for about {@code durationNanos}; returns the work done. */
    long run(long durationNanos) throws Exception;

    /** Closes the connections and the listener. */
    void close() throws Exception;
}
