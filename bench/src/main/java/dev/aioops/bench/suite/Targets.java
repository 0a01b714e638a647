package dev.aioops.bench.suite;

import java.util.List;

import static dev.aioops.bench.suite.BenchSuite.CHECKSUM_IN_FLIGHT;
import static dev.aioops.bench.suite.BenchSuite.CROSS_THREAD_PRODUCERS;
import static dev.aioops.bench.suite.BenchSuite.VIRTUAL_THREAD_PING_PONG;
import static dev.aioops.bench.suite.BenchSuite.VIRTUAL_THREAD_READS;
import static dev.aioops.bench.suite.BenchSuite.crossThreadVariant;
import static dev.aioops.bench.suite.BenchSuite.tcpVariant;

/**
 * The project's performance targets, as the issues state them, each checked against a run and marked met or missed
 * in the report. A target whose workload did not run (a partial run, a missing peer) says so.
 */
final class Targets {

    private static final String URING = "aioops uring";
    private static final String NETTY_URING = "Netty io_uring";

    private Targets() {
    }

    /** Every target, in the order the report lists them. */
    static List<Target> all() {
        String gib = "file checksum / 1 GiB, page cache, 32 KiB blocks, " + CHECKSUM_IN_FLIGHT + " in flight";
        String rr = "4 KiB random reads / 1 GiB, page cache, 32 in flight";
        String pp = "TCP ping-pong / " + tcpVariant(100, 64);
        String http4k = "HTTP static file / 4 KiB file, 64 keep-alive connections";
        String http1m = "HTTP static file / 1 MiB file, 64 keep-alive connections";
        String crossThread = "cross-thread execute / " + crossThreadVariant(CROSS_THREAD_PRODUCERS);
        return List.of(
                new Target("checksum 1 GiB cached: uring ≤ 0.4× AsynchronousFileChannel time", gib, URING,
                        "AsynchronousFileChannel", true, 2.5),
                new Target("checksum 1 GiB cached: uring ≤ 1.15× blocking FileChannel loop time", gib, URING,
                        "FileChannel loop", true, 1 / 1.15),
                new Target("checksum 1 GiB cached in a verticle: shared ring ≤ 0.4× Vert.x AsyncFile time", gib,
                        "aioops vertx shared ring", "Vert.x AsyncFile", true, 2.5),
                new Target("4 KiB random reads, 32 in flight, cached: uring ≥ 0.9× fio io_uring at its best (tuned)",
                        rr, URING, "fio io_uring tuned", true, 0.9),
                new Target("4 KiB random reads, 32 in flight, cached: uring ≥ 2.5× AsynchronousFileChannel", rr,
                        URING, "AsynchronousFileChannel", true, 2.5),
                // Issue 15: the socket gaps to Netty's io_uring transport.
                new Target("TCP ping-pong 64 B, 100 connections: uring ≥ 1.05× Netty io_uring, at no more CPU per "
                        + "message", pp, URING, NETTY_URING, true, 1.05).atCpuRatio(1.0),
                new Target("TCP ping-pong 64 B, 100 connections: uring ≥ 1.2× the epoll adapter, at no more CPU per "
                        + "message", pp, URING, "aioops epoll", true, 1.2).atCpuRatio(1.0),
                new Target("TCP streaming 64 B, 1 connection: uring ≥ 1.0× Netty io_uring",
                        "TCP streaming / " + tcpVariant(1, 64), URING, NETTY_URING, true, 1.0),
                new Target("TCP streaming 16 KiB, 100 connections: uring ≥ 1.05× Netty io_uring",
                        "TCP streaming / " + tcpVariant(100, 16 * 1024), URING, NETTY_URING, true, 1.05),
                new Target("cross-thread execute, 2 producers: the uring loop ≥ 1.0× the epoll adapter's loop",
                        crossThread, URING, "aioops epoll", true, 1.0),
                new Target("cross-thread execute, 2 producers: the uring loop ≥ 1.5× Netty's epoll loop",
                        crossThread, URING, "Netty epoll event loop", true, 1.5),
                Target.spreadWithin("cross-thread execute, 2 producers: the uring loop's max ÷ min over the "
                        + "repetitions ≤ 1.5", crossThread, URING, 1.5),
                // Issue 13 (not below the figures of the day it was filed) and issue 15 (nginx at its best).
                new Target("HTTP 4 KiB files, 64 connections: uring ≥ 1.84× Vert.x sendFile", http4k, URING,
                        "Vert.x sendFile", true, 1.84),
                new Target("HTTP 4 KiB files, 64 connections: uring ≥ 0.8× nginx (1 worker), at no more CPU per "
                        + "request", http4k, URING, "nginx 1 worker", true, 0.8).atCpuRatio(1.0),
                new Target("HTTP 1 MiB files, 64 connections: uring ≥ 1.0× nginx (1 worker), at no more CPU per "
                        + "request", http1m, URING, "nginx 1 worker", true, 1.0).atCpuRatio(1.0),
                new Target("Redis pipelined GET (64 deep): uring ≥ 1.67× Lettuce",
                        "Redis GET / pipelined 64 deep, one connection, 64-byte value", URING, "Lettuce", true, 1.67),
                new Target("Redis pipelined SET (64 deep): uring ≥ 1.77× Lettuce",
                        "Redis SET / pipelined 64 deep, one connection, 64-byte value", URING, "Lettuce", true, 1.77),
                // Issue 16: the virtual-thread facade.
                new Target("1,000 virtual threads, 4 KiB random reads, cached 1 GiB: uring ≥ 2× FileChannel",
                        VIRTUAL_THREAD_READS + " / 1 GiB, page cache, " + VirtualThreadContenders.THREADS
                                + " virtual threads", URING, "FileChannel", true, 2.0),
                new Target("1,000 virtual threads, TCP ping-pong 64 B: uring ≥ 1.0× SocketChannel",
                        VIRTUAL_THREAD_PING_PONG + " / " + tcpVariant(VirtualThreadContenders.THREADS, 64),
                        URING, "SocketChannel", true, 1.0),
                Target.wakeupsPerSleep("≤ 1 wake-up syscall per loop sleep under cross-thread load", crossThread,
                        1.0));
    }
}
