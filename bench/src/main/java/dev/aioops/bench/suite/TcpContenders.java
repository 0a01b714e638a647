package dev.aioops.bench.suite;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The contenders of the TCP workloads, whatever the workload's {@link TcpDriver}: each connects at its first run
 * and times every run, its work counted by the driver.
 */
final class TcpContenders {

    private TcpContenders() {
    }

    /**
     * Every contender of a TCP workload: each adapter, then Netty's io_uring and epoll transports.
     *
     * @param aioDriver   the workload's driver on an aioops server instance and client instance
     * @param nettyDriver the workload's driver on a Netty transport
     */
    static List<Contender> all(List<AioProvider> adapters, Duration duration,
                               BiFunction<AioOperations, AioOperations, TcpDriver> aioDriver,
                               Function<NettyPingPong.Transport, TcpDriver> nettyDriver) {
        List<Contender> contenders = new ArrayList<>();
        for (AioProvider a : adapters) {
            contenders.add(aioops(a, duration, aioDriver));
        }
        for (NettyPingPong.Transport t : List.of(NettyPingPong.Transport.IO_URING, NettyPingPong.Transport.EPOLL)) {
            contenders.add(netty(t, duration, () -> nettyDriver.apply(t)));
        }
        return contenders;
    }

    /** An aioops adapter: the server on one instance, the clients on another, each with its own loop thread. */
    private static Contender aioops(AioProvider provider, Duration duration,
                            BiFunction<AioOperations, AioOperations, TcpDriver> driverOnServerAndClient) {
        return new AdapterContender(provider) {
            private AioOperations server;
            private AioOperations client;
            private TcpDriver driver;

            @Override
            public Trial run() throws Exception {
                if (driver == null) {
                    AioConfig config = AioConfig.builder().queueDepth(1024).buffers(0, 4096).build();
                    server = provider.open(config.toBuilder().threadName("aioops-bench-server").build());
                    client = provider.open(config.toBuilder().threadName("aioops-bench-client").build());
                    driver = driverOnServerAndClient.apply(server, client);
                    driver.connect();
                }
                return Trial.measure(() -> new Trial.Outcome(driver.run(duration.toNanos()), 0));
            }

            @Override
            public void close() throws Exception {
                if (driver != null) {
                    driver.close();
                }
                if (client != null) {
                    client.close();
                }
                if (server != null) {
                    server.close();
                }
            }
        };
    }

    /** A Netty transport; the driver makes its own event loops. */
    private static Contender netty(NettyPingPong.Transport transport, Duration duration, Supplier<TcpDriver> newDriver) {
        return new Contender() {
            private TcpDriver driver;

            @Override
            public String name() {
                return transport.label;
            }

            @Override
            public String unavailable() {
                return transport.unavailable();
            }

            @Override
            public Trial run() throws Exception {
                if (driver == null) {
                    driver = newDriver.get();
                    driver.connect();
                }
                return Trial.measure(() -> new Trial.Outcome(driver.run(duration.toNanos()), 0));
            }

            @Override
            public void close() throws Exception {
                if (driver != null) {
                    driver.close();
                }
            }
        };
    }
}
