package dev.aioops.bench.suite;

import dev.aioops.spi.AioProvider;
import dev.aioops.vertx.VertxAioProvider;
import io.vertx.core.transport.Transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP group workload: GETs of one 4 KiB file over keep-alive connections, served by one loop and by a group of
 * two on each adapter, loaded by a wrk pinned one thread per core ({@link PinnedWrkLoadGenerator}; skipped with a
 * note where wrk or taskset is missing). The server's CPU per request tells what spreading connections costs or
 * saves; on a 2-core machine that also runs the load generator, throughput is bounded by the cores the two share.
 */
final class HttpGroupWorkload {

    private HttpGroupWorkload() {
    }

    static Workload of(List<AioProvider> adapters, Path data, int connections, Duration duration) {
        Path root = data.resolve("www");
        try {
            Files.createDirectories(root);
            BenchFiles.file(root, "4k.txt", 4096);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpLoadGenerator load = new PinnedWrkLoadGenerator();
        List<Contender> contenders = new ArrayList<>();
        for (AioProvider a : adapters) {
            contenders.add(HttpGroupContenders.aioops(a, 1, root, "4k.txt", connections, duration, load));
            contenders.add(HttpGroupContenders.aioops(a, 2, root, "4k.txt", connections, duration, load));
        }
        // The Vert.x adapter on Vert.x's io_uring transport: its shared-ring mode, which can share a port.
        AioProvider ring = new VertxAioProvider(Transport.IO_URING);
        for (int members : new int[]{1, 2}) {
            contenders.add(HttpGroupContenders.aioops(ring, "aioops vertx ring", members, root, "4k.txt",
                    connections, duration, load));
        }
        String baseline = contenders.isEmpty() ? "" : contenders.get(0).name();
        return new Workload("HTTP group", "4 KiB file, " + connections + " keep-alive connections, "
                + load.label() + ", server unpinned", Workload.Unit.OPS_PER_SECOND, baseline, contenders);
    }
}
