package dev.aioops.bench.suite;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;

import java.time.Duration;

/** The contenders of the TCP ping-pong workload: messages per second, one in flight per connection. */
final class PingPongContenders {

    private PingPongContenders() {
    }

    static Contender aioops(AioProvider provider, int connections, int size, Duration duration) {
        return new AdapterContender(provider) {
            private AioOperations server;
            private AioOperations client;
            private AioPingPong pingPong;

            @Override
            public Trial run() throws Exception {
                if (pingPong == null) {
                    AioConfig config = AioConfig.builder().queueDepth(1024).buffers(0, 4096).build();
                    server = provider.open(config.toBuilder().threadName("aioops-bench-server").build());
                    client = provider.open(config.toBuilder().threadName("aioops-bench-client").build());
                    pingPong = new AioPingPong(server, client, connections, size);
                    pingPong.connect();
                }
                return Trial.measure(() -> new Trial.Outcome(pingPong.run(duration.toNanos()), 0));
            }

            @Override
            public void close() throws Exception {
                if (pingPong != null) {
                    pingPong.close();
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

    static Contender netty(NettyPingPong.Transport transport, int connections, int size, Duration duration) {
        return new Contender() {
            private NettyPingPong pingPong;

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
                if (pingPong == null) {
                    pingPong = new NettyPingPong(transport, connections, size);
                    pingPong.connect();
                }
                return Trial.measure(() -> new Trial.Outcome(pingPong.run(duration.toNanos()), 0));
            }

            @Override
            public void close() throws Exception {
                if (pingPong != null) {
                    pingPong.close();
                }
            }
        };
    }
}
