package dev.aioops.bench.suite;

import dev.aioops.spi.AioProvider;

import java.time.Duration;
import java.util.List;

/** The contenders of the TCP ping-pong workload: messages per second, one in flight per connection. */
final class PingPongContenders {

    private PingPongContenders() {
    }

    static List<Contender> all(List<AioProvider> adapters, int connections, int size, Duration duration) {
        return TcpContenders.all(adapters, duration,
                (server, client, arena) -> new AioPingPong(server, client, arena, connections, size),
                transport -> new NettyPingPong(transport, connections, size));
    }
}
