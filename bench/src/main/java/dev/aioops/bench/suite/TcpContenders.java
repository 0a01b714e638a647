package dev.aioops.bench.suite;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.spi.AioStats;

import java.lang.foreign.Arena;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The contenders of the TCP workloads, whatever the workload's {@link TcpDriver}: each makes and connects its driver
 * at its first run and times every run, its work counted by the driver.
 */
final class TcpContenders {

    private TcpContenders() {
    }

    /**
     * Every contender of a TCP workload: each adapter, then Netty's io_uring and epoll transports.
     *
     * @param aioDriver   the workload's driver on an aioops server instance and client instance, with an arena for
     *                    its buffers that outlives both instances
     * @param nettyDriver the workload's driver on a Netty transport
     */
    static List<Contender> all(List<AioProvider> adapters, Duration duration,
                               AioDriverFactory aioDriver,
                               Function<NettyPingPong.Transport, TcpDriver> nettyDriver) {
        List<Contender> contenders = new ArrayList<>();
        for (AioProvider a : adapters) {
            contenders.add(aioops(a, duration, aioDriver));
        }
        for (NettyPingPong.Transport t : List.of(NettyPingPong.Transport.IO_URING, NettyPingPong.Transport.EPOLL)) {
            contenders.add(netty(t, duration, nettyDriver));
        }
        return contenders;
    }

    /** An aioops adapter: the server on one instance, the clients on another, each with its own loop thread. */
    private static Contender aioops(AioProvider provider, Duration duration,
                                    AioDriverFactory aioDriver) {
        return new DriverContender(AdapterContender.nameOf(provider), () -> AdapterContender.unavailable(provider),
                duration, instances -> {
                    // Pushed first, closed last: no read or write of a closing instance still targets it.
                    Arena arena = Arena.ofShared();
                    instances.push(arena::close);
                    AioConfig config = AioConfig.builder().queueDepth(1024).buffers(0, 4096).build();
                    AioOperations server = provider.open(config.toBuilder().threadName("aioops-bench-server").build());
                    instances.push(server);
                    AioOperations client = provider.open(config.toBuilder().threadName("aioops-bench-client").build());
                    instances.push(client);
                    return aioDriver.make(server, client, arena);
                });
    }

    /** A Netty transport; the driver makes its own event loops. */
    private static Contender netty(NettyPingPong.Transport transport, Duration duration,
                                   Function<NettyPingPong.Transport, TcpDriver> nettyDriver) {
        return new DriverContender(transport.label, transport::unavailable, duration,
                unused -> nettyDriver.apply(transport));
    }

    /** Makes the driver of an aioops contender. */
    @FunctionalInterface
    interface AioDriverFactory {
        /** Makes the driver on a server and a client instance; its buffers come from {@code arena}. */
        TcpDriver make(AioOperations server, AioOperations client, Arena arena);
    }

    /** Makes a driver for its own instances. */
    @FunctionalInterface
    private interface DriverFactory {
        /** Makes the driver; what it opens for it goes on {@code opened}, to be closed after the driver, last first. */
        TcpDriver make(Deque<AutoCloseable> opened) throws Exception;
    }

    /** Runs a driver: made and connected at the first run, closed with everything opened for it. */
    private static final class DriverContender implements Contender {
        private final String name;
        private final Supplier<String> unavailable;
        private final Duration duration;
        private final DriverFactory factory;
        private final Deque<AutoCloseable> opened = new ArrayDeque<>();
        private TcpDriver driver;
        /** The aioops counters of the measured runs (every run but the first, the suite's warm-up), or null. */
        private AioStats measured;
        private int runs;

        DriverContender(String name, Supplier<String> unavailable, Duration duration, DriverFactory factory) {
            this.name = name;
            this.unavailable = unavailable;
            this.duration = duration;
            this.factory = factory;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String unavailable() {
            return unavailable.get();
        }

        @Override
        public Trial run() throws Exception {
            if (driver == null) {
                driver = factory.make(opened);
                driver.connect();
            }
            List<AioOperations> aio = opened.stream().filter(AioOperations.class::isInstance)
                    .map(AioOperations.class::cast).toList();
            AioStats before = BatchSizes.of(aio);
            Trial trial = Trial.measure(() -> new Trial.Outcome(driver.run(duration.toNanos()), 0));
            if (runs++ > 0 && !aio.isEmpty()) {
                AioStats run = BatchSizes.between(before, BatchSizes.of(aio));
                measured = measured == null ? run : AioStats.sum(run.adapter(), List.of(measured, run));
            }
            return trial;
        }

        @Override
        public AioStats stats() {
            return measured;
        }

        /** Closes the driver, then what was opened for it, last first; every one even when another fails. */
        @Override
        public void close() throws Exception {
            Exception failure = null;
            if (driver != null) {
                try {
                    driver.close();
                } catch (Exception e) {
                    failure = e;
                }
            }
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }
}
