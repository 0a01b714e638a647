package dev.aioops.bench.suite;

import dev.aioops.spi.AioProvider;
import io.netty.channel.uring.IoUring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The contenders of the idle-memory workload: each run starts a fresh {@link IdleMemoryServer} JVM, warms it up
 * (rounds of connections opened and closed), measures it idle, opens {@link #CONNECTIONS} loopback connections from
 * this process, measures it again and records the growth per connection in {@link IdleMemory}. The trial itself is
 * the connecting: connections per second until the server has every one accepted and armed, with the server's CPU.
 */
final class IdleMemoryContenders {

    /** The idle connections each server holds. */
    static final int CONNECTIONS = 10_000;
    /**
     * An environment variable naming the directory where each run writes the server's class histogram at
     * {@link #CONNECTIONS} connections (the suite's JVM takes no -D of its own); unset: none.
     */
    static final String HISTOGRAM_ENV = "AIOOPS_BENCH_IDLE_HISTOGRAM";
    /**
     * Warm-up: rounds of connections opened and closed, enough for the JIT's top tier to compile the accept path
     * (thousands of calls), so that its code and its compiler arenas are not counted as the connections' memory; in
     * small rounds, so that what grows with the connections held at once (tables, pools) is still measured.
     */
    private static final int WARM_UP_ROUNDS = 12;
    private static final int WARM_UP_CONNECTIONS = 500;
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /**
     * The server JVM: a fixed heap touched at start, so that resident memory grows only outside the heap (the heap's
     * growth is counted live); the serial collector, so that no GC threads' memory comes and goes; NMT for native.
     */
    private static final List<String> SERVER_JVM = List.of("--enable-native-access=ALL-UNNAMED", "-Xms256m",
            "-Xmx256m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC", "-XX:MaxDirectMemorySize=1g",
            "-XX:NativeMemoryTracking=summary");

    private IdleMemoryContenders() {
    }

    /** Every contender: aioops uring and epoll, each receiving and reading, and Netty io_uring with and without ring. */
    static List<Contender> all(List<AioProvider> adapters) {
        List<Contender> contenders = new ArrayList<>();
        for (String adapter : List.of("uring", "epoll")) {
            AioProvider provider = adapters.stream().filter(p -> p.name().equals(adapter)).findFirst().orElse(null);
            if (provider == null) {
                continue;
            }
            String unavailable = AdapterContender.unavailable(provider);
            contenders.add(new ServerContender("aioops " + adapter + " receive", adapter + "-receive", unavailable));
            contenders.add(new ServerContender("aioops " + adapter + " read 16 KiB", adapter + "-read", unavailable));
        }
        String netty = IoUring.isAvailable() ? null : String.valueOf(IoUring.unavailabilityCause());
        contenders.add(new ServerContender("Netty io_uring", "netty", netty));
        contenders.add(new ServerContender("Netty io_uring buffer ring", "netty-ring", netty));
        return contenders;
    }

    /** One server mode, a fresh JVM per run. */
    private static final class ServerContender implements Contender {

        private final String name;
        private final String mode;
        private final String unavailable;
        private int runs;

        ServerContender(String name, String mode, String unavailable) {
            this.name = name;
            this.mode = mode;
            this.unavailable = unavailable;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String unavailable() {
            return unavailable;
        }

        @Override
        public Trial run() throws Exception {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(SERVER_JVM);
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), IdleMemoryServer.class.getName(),
                    mode));
            Process server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            List<SocketChannel> clients = new ArrayList<>(CONNECTIONS);
            try {
                Server s = new Server(server);
                InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                        Integer.parseInt(s.ask(null, "port ")));
                for (int round = 0; round < WARM_UP_ROUNDS; round++) {
                    connect(address, WARM_UP_CONNECTIONS, clients);
                    s.awaitOpen(WARM_UP_CONNECTIONS);
                    closeAll(clients);
                    s.awaitOpen(0);
                }
                long[] idle = s.measure();
                histogram(s, "idle");
                CpuTime cpu0 = CpuTime.ofProcessTree(server.toHandle());
                long t0 = System.nanoTime();
                connect(address, CONNECTIONS, clients);
                s.awaitOpen(CONNECTIONS);
                long wall = System.nanoTime() - t0;
                CpuTime cpu = CpuTime.ofProcessTree(server.toHandle()).minus(cpu0);
                long[] held = s.measure();
                IdleMemory.record(name, (held[0] - idle[0]) / (double) CONNECTIONS,
                        (held[2] - idle[2]) / (double) CONNECTIONS, (held[1] - idle[1]) / (double) CONNECTIONS);
                histogram(s, "held");
                runs++;
                return new Trial(CONNECTIONS, wall, cpu.userNanos(), cpu.systemNanos(), 0);
            } finally {
                // The server goes first: its sockets close with it, and nothing has to read 10,000 ends of stream.
                server.destroyForcibly();
                server.waitFor(30, TimeUnit.SECONDS);
                closeAll(clients);
            }
        }

        /** With {@link #HISTOGRAM_ENV} set, has the server write its class histogram, named by mode, run and stage. */
        private void histogram(Server s, String stage) throws IOException {
            String dir = System.getenv(HISTOGRAM_ENV);
            if (dir != null) {
                Path file = Path.of(dir).toAbsolutePath().resolve(mode + "-" + runs + "-" + stage + ".txt");
                Files.createDirectories(file.getParent());
                s.ask("histogram " + file, "histogram");
            }
        }
    }

    private static void connect(InetSocketAddress address, int n, List<SocketChannel> into) throws IOException {
        for (int i = 0; i < n; i++) {
            into.add(SocketChannel.open(address));
        }
    }

    private static void closeAll(List<SocketChannel> clients) throws IOException {
        for (SocketChannel c : clients) {
            c.close();
        }
        clients.clear();
    }

    /** The line protocol of {@link IdleMemoryServer}. */
    private static final class Server {

        private final BufferedReader out;
        private final PrintStream in;

        Server(Process process) {
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        }

        /** Sends {@code command} (none if null) and returns the rest of the answer that starts with {@code prefix}. */
        String ask(String command, String prefix) throws IOException {
            if (command != null) {
                in.println(command);
            }
            String line = out.readLine();
            if (line == null || !line.startsWith(prefix)) {
                throw new IllegalStateException("the idle-memory server answered " + line + " to " + command);
            }
            return line.substring(prefix.length()).trim();
        }

        void awaitOpen(int n) throws Exception {
            long end = System.nanoTime() + WAIT_NANOS;
            int open;
            while ((open = Integer.parseInt(ask("count", "count "))) != n) {
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("the server has " + open + " connections open, not " + n);
                }
                Thread.sleep(10);
            }
        }

        /** Live heap, VmRSS and native bytes (see {@link IdleMemoryServer}). */
        long[] measure() throws IOException {
            String[] f = ask("measure", "measure ").split(" ");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])};
        }
    }
}
