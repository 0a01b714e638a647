package dev.aioops.bench.suite;

import dev.aioops.spi.AioProvider;

import java.time.Duration;
import java.util.List;

/**
 * The contenders of the TCP streaming workload: bytes per second received by the server, one write in flight per
 * connection.
 */
final class StreamingContenders {

    private StreamingContenders() {
    }

    static List<Contender> all(List<AioProvider> adapters, int connections, int size, Duration duration) {
        return TcpContenders.all(adapters, duration,
                (server, client, arena) -> new AioStreaming(server, client, arena, connections, size),
                transport -> new NettyStreaming(transport, connections, size));
    }
}
