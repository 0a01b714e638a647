package dev.aioops.bench.suite;

import dev.aioops.spi.Aio;
import dev.aioops.spi.AioAcceptHandler;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connect/close storm over loopback, to compare the server accepting with one {@link AioOperations#accept} at a
 * time against an accept stream ({@link dev.aioops.spi.AioReceiveOperations#acceptStream}, multishot on io_uring):
 * a client instance keeps {@code inFlight} connects going, closing each connection as soon as it is made; the
 * server closes each connection it accepts. Prints connections per second and the process's CPU time per
 * connection. Not part of the suite.
 *
 * <pre>
 *   AcceptStorm uring accept|stream [seconds] [inFlight]
 * </pre>
 */
public final class AcceptStorm {

    private AcceptStorm() {
    }

    /**
     * Runs one storm.
     *
     * @param args adapter, mode, seconds, connects in flight
     * @throws Exception if the storm cannot be set up
     */
    public static void main(String[] args) throws Exception {
        String adapter = args[0];
        boolean stream = args[1].equals("stream");
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int inFlight = args.length > 3 ? Integer.parseInt(args[3]) : 64;
        AioProvider provider = Aio.providers().stream().filter(p -> p.name().equals(adapter)).findFirst()
                .orElseThrow();
        AioConfig config = AioConfig.builder().queueDepth(1024).buffers(0, 4096).build();
        try (AioOperations server = provider.open(config.toBuilder().threadName("storm-server").build());
             AioOperations client = provider.open(config.toBuilder().threadName("storm-client").build())) {
            CompletableFuture<Integer> listening = new CompletableFuture<>();
            server.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096, null,
                    (r, a) -> listening.complete(r));
            int l = AioErrno.check(listening.get(10, TimeUnit.SECONDS), "listen");
            InetSocketAddress address = (InetSocketAddress) server.localAddress(l);
            AtomicLong accepted = new AtomicLong();
            if (stream) {
                server.acceptStream(l, null, new AioAcceptHandler<Object>() {
                    @Override
                    public void accepted(Object attachment, int handle) {
                        accepted.incrementAndGet();
                        server.close(handle, null, (r, a) -> { });
                    }

                    @Override
                    public void end(int result, Object attachment) {
                    }
                });
            } else {
                server.execute(() -> acceptNext(server, l, accepted));
            }
            AtomicLong connected = new AtomicLong();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            CountDownLatch done = new CountDownLatch(inFlight);
            long cpu0 = cpuNanos();
            long t0 = System.nanoTime();
            for (int i = 0; i < inFlight; i++) {
                client.execute(() -> connectNext(client, address, deadline, connected, done));
            }
            done.await(seconds + 30L, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - t0;
            long cpu = cpuNanos() - cpu0;
            double perSecond = connected.get() * 1e9 / elapsed;
            System.out.printf("%s %s: %.0f connections/s (server accepted %d), %.1f µs CPU per connection%n",
                    adapter, stream ? "acceptStream" : "accept loop", perSecond, accepted.get(),
                    cpu / 1e3 / Math.max(1, connected.get()));
        }
    }

    private static void acceptNext(AioOperations server, int listener, AtomicLong accepted) {
        server.accept(listener, null, (handle, a) -> {
            if (handle >= 0) {
                accepted.incrementAndGet();
                server.close(handle, null, (r, b) -> { });
                acceptNext(server, listener, accepted);
            }
        });
    }

    private static void connectNext(AioOperations client, InetSocketAddress address, long deadline,
                                    AtomicLong connected, CountDownLatch done) {
        if (System.nanoTime() >= deadline) {
            done.countDown();
            return;
        }
        client.connect(address, null, (handle, a) -> {
            if (handle < 0) {
                done.countDown();
                System.err.println("connect: " + AioErrno.name(handle));
                return;
            }
            connected.incrementAndGet();
            client.close(handle, null, (r, b) -> connectNext(client, address, deadline, connected, done));
        });
    }

    private static long cpuNanos() {
        CpuTime t = CpuTime.now();
        return t.userNanos() + t.systemNanos();
    }
}
