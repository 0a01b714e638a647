package dev.aioops.soak;

import dev.aioops.examples.http.HttpServerConfig;
import dev.aioops.examples.http.HttpTimeouts;
import dev.aioops.examples.http.StaticFileServer;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;

import javax.management.ObjectName;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures what an idle keep-alive connection costs {@link StaticFileServer}: the server runs in this JVM (with
 * Native Memory Tracking), a child JVM opens the connections, sends one request on each, reads the response and
 * leaves them idle. The cost is this JVM's growth in live heap (after a full GC) plus its growth in native memory
 * outside the Java heap (NMT's committed total minus the heap's), divided by the number of connections: the
 * server's buffers and objects and the adapter's per-handle state. Kernel socket memory is not counted (it is not
 * the process's), nor is the JVM's own machinery (see {@link #measure()}). Run it with {@code soak/idle-http} (see there); not part of {@code verify}. With
 * {@code -Didle.breakdown=true} it also prints where the growth went: the classes of the heap and NMT's categories.
 */
public final class IdleHttpDriver {

    /** The NMT categories of memory that Java code and libraries allocate (see {@link #measure()}). */
    private static final List<String> NATIVE_CATEGORIES = List.of("Other", "Internal", "Thread");

    private IdleHttpDriver() {
    }

    /**
     * Runs the measurement, or (with {@code clients} as the first argument) the client side.
     *
     * @param args {@code <epoll|uring|vertx|vertx-ring> <connections>}, or {@code clients <port> <connections>}
     * @throws Exception if a step fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("clients")) {
            clients(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            return;
        }
        if (args.length != 2) {
            System.err.println("usage: IdleHttpDriver <epoll|uring|vertx|vertx-ring> <connections>");
            System.exit(2);
        }
        AioProvider provider = SoakDriver.provider(args[0]);
        if (provider == null || !provider.isAvailable()) {
            System.out.println("idle-http: " + args[0] + " is not available here");
            System.exit(3);
        }
        int connections = Integer.parseInt(args[1]);
        Path root = Files.createTempDirectory("aioops-idle");
        Files.writeString(root.resolve("hello.txt"), "hello, world\n");
        HttpTimeouts patient = new HttpTimeouts(Duration.ofMinutes(10), Duration.ofMinutes(10),
                Duration.ofMinutes(10), Duration.ofMinutes(10));
        try (AioOperations ops = provider.open(AioConfig.builder().queueDepth(4096).build())) {
            StaticFileServer server = StaticFileServer.start(ops, new InetSocketAddress(
                    InetAddress.getLoopbackAddress(), 0), root, HttpServerConfig.DEFAULTS.withTimeouts(patient)
                    .withMaxConnections(connections + 16)).get(30, TimeUnit.SECONDS);
            warmUp(server);
            long[] before = measure();
            MemoryBreakdown breakdown = Boolean.getBoolean("idle.breakdown") ? MemoryBreakdown.take() : null;
            Process clients = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                    System.getProperty("java.class.path"), IdleHttpDriver.class.getName(), "clients",
                    Integer.toString(server.address().getPort()), Integer.toString(connections))
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(clients.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            if (!"READY".equals(line)) {
                System.out.println("idle-http: the clients failed: " + line);
                clients.destroy();
                System.exit(1);
            }
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (server.openConnections() < connections && System.nanoTime() < end) {
                Thread.sleep(50);
            }
            long[] after = measure();
            long heap = after[0] - before[0];
            long nativeBytes = after[1] - before[1];
            System.out.printf("idle-http: %s, %d idle connections (%d open at the server)%n", args[0], connections,
                    server.openConnections());
            System.out.printf("  live heap   +%,d bytes = %,d bytes per connection%n", heap, heap / connections);
            System.out.printf("  native      +%,d bytes = %,d bytes per connection%n", nativeBytes,
                    nativeBytes / connections);
            System.out.printf("  together    %,d bytes per connection%n", (heap + nativeBytes) / connections);
            if (breakdown != null) {
                System.out.print(breakdown.growth(MemoryBreakdown.take(), connections));
            }
            clients.getOutputStream().close();
            clients.waitFor(60, TimeUnit.SECONDS);
            server.close();
            server.closed().get(60, TimeUnit.SECONDS);
        }
    }

    /** Serves a few requests first, so that classes, pools and the loop's own memory are in the baseline. */
    private static void warmUp(StaticFileServer server) throws Exception {
        for (int i = 0; i < 32; i++) {
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.address().getPort())) {
                exchange(socket);
            }
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.openConnections() > 0 && System.nanoTime() < end) {
            Thread.sleep(10);
        }
    }

    private static void exchange(Socket socket) throws Exception {
        socket.setSoTimeout(60_000);
        OutputStream out = socket.getOutputStream();
        out.write("GET /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        InputStream in = socket.getInputStream();
        byte[] seen = new byte[4096];
        int n = 0;
        while (!new String(seen, 0, n, StandardCharsets.ISO_8859_1).endsWith("hello, world\n")) {
            int r = in.read(seen, n, seen.length - n);
            if (r < 0) {
                throw new IllegalStateException("closed before the response ended");
            }
            n += r;
        }
    }

    /**
     * Live heap after a full GC, and the native memory that code allocates (NMT's committed "Other": direct
     * buffers, FFM segments, {@code Unsafe} memory; plus "Internal" and "Thread"), in bytes. The JVM's own
     * machinery (compiled code, compiler arenas, GC structures, metaspace) is left out: it grows with the JIT's
     * activity during the run, not with the connections, and made the per-connection figure swing by 2 KiB.
     */
    private static long[] measure() throws Exception {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        String summary = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
        committed(summary, "Total: reserved=\\d+KB, committed=(\\d+)KB"); // fails clearly when NMT is off
        long allocatedByCode = 0;
        for (String category : NATIVE_CATEGORIES) {
            allocatedByCode += committedOrZero(summary, category);
        }
        return new long[] {heap, allocatedByCode * 1024};
    }

    private static long committedOrZero(String summary, String category) {
        Matcher m = Pattern.compile("-\\s+" + Pattern.quote(category) + " \\(reserved=\\d+KB, committed=(\\d+)KB")
                .matcher(summary);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static long committed(String summary, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(summary);
        if (!m.find()) {
            throw new IllegalStateException("NMT is off (run with -XX:NativeMemoryTracking=summary): " + summary);
        }
        return Long.parseLong(m.group(1));
    }

    private static void clients(int port, int connections) throws Exception {
        List<Socket> sockets = new ArrayList<>(connections);
        try {
            for (int i = 0; i < connections; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
                exchange(socket);
                sockets.add(socket);
            }
            System.out.println("READY");
            System.out.flush();
            System.in.read(); // holds the connections until the driver closes stdin
        } catch (Exception e) {
            System.out.println("FAILED after " + sockets.size() + " connections: " + e);
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }
}
