package dev.aioops.bench.suite;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Java load generator: {@link KeepAliveLoadClient} in a JVM of its own (this process's class path), which
 * warms up for {@link #WARMUP}, then says {@code measuring}, and {@code measured} when its span is over; the CPU
 * time counted is this process's (the server's) between those two lines, so that neither the warm-up nor the
 * answers to the requests still in flight at the end count, and the throughput is the client's responses over its
 * measured span.
 */
final class JavaLoadGenerator implements HttpLoadGenerator {

    /** Lets the client's JIT compile its loop before responses count. */
    static final Duration WARMUP = Duration.ofMillis(500);
    private static final long WAIT_SECONDS = 60;

    @Override
    public String label() {
        return "Java load generator";
    }

    @Override
    public Trial run(InetSocketAddress address, String file, int connections, Duration duration,
                     Supplier<CpuTime> serverCpu) throws Exception {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"),
                KeepAliveLoadClient.class.getName(),
                "127.0.0.1", Integer.toString(address.getPort()), "/" + file, Integer.toString(connections),
                Long.toString(WARMUP.toMillis()), Long.toString(duration.toMillis()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        // A client that hangs must not hang the suite.
        CompletableFuture.delayedExecutor(WARMUP.toSeconds() + duration.toSeconds() + WAIT_SECONDS, TimeUnit.SECONDS)
                .execute(p::destroyForcibly);
        CpuTime from = null;
        CpuTime cpu = null;
        long requests = -1;
        long nanos = 0;
        List<String> other = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                if (line.equals(KeepAliveLoadClient.MEASURING)) {
                    from = serverCpu.get();
                } else if (line.equals(KeepAliveLoadClient.MEASURED) && from != null) {
                    cpu = serverCpu.get().minus(from);
                } else if (line.startsWith(KeepAliveLoadClient.REQUESTS) && cpu != null) {
                    String[] fields = line.split(" ");
                    requests = Long.parseLong(fields[1]);
                    nanos = Long.parseLong(fields[3]);
                } else {
                    other.add(line);
                }
            }
        }
        if (!p.waitFor(WAIT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0 || cpu == null || nanos <= 0) {
            p.destroyForcibly();
            throw new IllegalStateException("the Java load generator failed: " + String.join(" | ", other));
        }
        return new Trial(requests, nanos, cpu.userNanos(), cpu.systemNanos(), 0);
    }
}
