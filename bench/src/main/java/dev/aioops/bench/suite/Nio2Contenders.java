package dev.aioops.bench.suite;

import dev.aioops.nio2.AioChannels;
import dev.aioops.nio2.AioFileChannels;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;

import java.nio.channels.AsynchronousChannelGroup;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The JDK's NIO.2 channel API on aioops (module aioops-nio2) beside the JDK's own channels: the same NIO.2 code
 * (the checksum of {@link ChecksumContenders}'s {@code AsynchronousFileChannel} contender, the ping-pong of
 * {@link Nio2PingPong}) with channels from {@link AioFileChannels} and {@link AioChannels}.
 */
final class Nio2Contenders {

    private Nio2Contenders() {
    }

    /** The file checksum through an aioops {@link AsynchronousFileChannel}, one per adapter. */
    static List<Contender> checksum(List<AioProvider> adapters, Path file, int blockSize, int inFlight, int passes) {
        List<Contender> contenders = new ArrayList<>();
        for (AioProvider provider : adapters) {
            contenders.add(new AdapterContender(provider, "NIO.2 on aioops " + provider.name()) {
                private AioOperations ops;

                @Override
                public Trial run() throws Exception {
                    if (ops == null) {
                        ops = provider.open(AioConfig.defaults());
                    }
                    return Trial.measure(passes, () -> {
                        try (AsynchronousFileChannel ch = AioFileChannels.open(ops, file, StandardOpenOption.READ)) {
                            return new ChecksumContenders.AfcChecksum(ch, ch.size(), blockSize, inFlight, false).run();
                        }
                    });
                }

                @Override
                public void close() {
                    if (ops != null) {
                        ops.close();
                    }
                }
            });
        }
        return contenders;
    }

    /** TCP ping-pong with NIO.2 channels: the JDK's (a one-thread group per side), then aioops's per adapter. */
    static List<Contender> pingPong(List<AioProvider> adapters, int connections, int size, Duration duration) {
        List<Contender> contenders = new ArrayList<>();
        contenders.add(new Nio2Contender("NIO.2 JDK channels", null, duration, opened -> {
            AsynchronousChannelGroup server = AsynchronousChannelGroup.withFixedThreadPool(1,
                    r -> new Thread(r, "jdk-nio2-bench-server"));
            opened.push(server::shutdownNow);
            AsynchronousChannelGroup client = AsynchronousChannelGroup.withFixedThreadPool(1,
                    r -> new Thread(r, "jdk-nio2-bench-client"));
            opened.push(client::shutdownNow);
            return new Nio2PingPong(server, client, connections, size);
        }));
        for (AioProvider provider : adapters) {
            contenders.add(new Nio2Contender("NIO.2 on aioops " + provider.name(), provider, duration, opened -> {
                AioConfig config = AioConfig.builder().queueDepth(1024).buffers(0, 4096).build();
                AioOperations server = provider.open(config.toBuilder().threadName("aioops-nio2-server").build());
                opened.push(server);
                AioOperations client = provider.open(config.toBuilder().threadName("aioops-nio2-client").build());
                opened.push(client);
                return new Nio2PingPong(AioChannels.openGroup(server), AioChannels.openGroup(client), connections,
                        size);
            }));
        }
        return contenders;
    }

    /** Makes a driver; what it opens for it goes on {@code opened}, closed after the driver, last first. */
    @FunctionalInterface
    private interface DriverFactory {
        TcpDriver make(Deque<AutoCloseable> opened) throws Exception;
    }

    /** Runs a ping-pong driver: made and connected at the first run, closed with what was opened for it. */
    private static final class Nio2Contender implements Contender {
        private final String name;
        private final AioProvider provider;
        private final Duration duration;
        private final DriverFactory factory;
        private final Deque<AutoCloseable> opened = new ArrayDeque<>();
        private TcpDriver driver;

        Nio2Contender(String name, AioProvider provider, Duration duration, DriverFactory factory) {
            this.name = name;
            this.provider = provider;
            this.duration = duration;
            this.factory = factory;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String unavailable() {
            return provider == null ? null : AdapterContender.unavailable(provider);
        }

        @Override
        public Trial run() throws Exception {
            if (driver == null) {
                driver = factory.make(opened);
                driver.connect();
            }
            return Trial.measure(() -> new Trial.Outcome(driver.run(duration.toNanos()), 0));
        }

        @Override
        public void close() throws Exception {
            if (driver != null) {
                driver.close();
            }
            while (!opened.isEmpty()) {
                opened.pop().close();
            }
        }
    }
}
