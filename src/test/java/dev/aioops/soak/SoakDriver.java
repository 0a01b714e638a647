package dev.aioops.soak;

import dev.aioops.epoll.EpollAioProvider;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.spi.AioTransfers;
import dev.aioops.uring.UringAioProvider;
import dev.aioops.vertx.VertxAioProvider;
import io.vertx.core.transport.Transport;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The traffic of the soak ({@code soak/run}): on one adapter, for a set time, loopback echoes checked byte for
 * byte, file writes and reads at random offsets, and handle churn (files opened, read and closed; sockets
 * connected, accepted and closed; eventfds created, signalled, read and closed), all as completion chains on the
 * loop. Prints a line every 10 s and totals at the end; exits 1 if any result was wrong, 3 if the adapter is not
 * available. Not a test: {@code soak/run} starts it in a JVM of its own and samples that JVM from outside.
 *
 * <p>Usage: {@code SoakDriver <epoll|uring|vertx|vertx-ring> <seconds>}.
 */
public final class SoakDriver {

    private static final int PAIRS = 8;
    private static final int ECHO = 4096;
    private static final int FILE_CHAINS = 4;
    private static final int BLOCK = 64 * 1024;
    private static final long FILE_SIZE = 8L << 20;
    private static final int CHURN_CHAINS = 2;

    private final AioOperations ops;
    private final Arena arena = Arena.ofShared();
    private final LongAdder completed = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder churned = new LongAdder();
    private final AtomicInteger chains = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean stop;
    private volatile String firstError;

    private SoakDriver(AioOperations ops) {
        this.ops = ops;
    }

    /**
     * Runs the soak traffic.
     *
     * @param args the adapter and the duration in seconds
     * @throws Exception if the setup fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: SoakDriver <epoll|uring|vertx|vertx-ring> <seconds>");
            System.exit(2);
        }
        AioProvider provider = provider(args[0]);
        if (provider == null || !provider.isAvailable()) {
            System.out.println("soak: " + args[0] + " is not available here");
            System.exit(3);
        }
        long seconds = Long.parseLong(args[1]);
        int status;
        try (AioOperations ops = provider.open(AioConfig.builder().buffers(8, 64 * 1024)
                .closeTimeout(Duration.ofSeconds(10)).build())) {
            status = new SoakDriver(ops).run(seconds);
        }
        System.exit(status);
    }

    /**
     * The adapter a soak driver runs on, by its name on the command line.
     *
     * @param name {@code epoll}, {@code uring}, {@code vertx} or {@code vertx-ring}
     * @return its provider, or null for {@code vertx-ring} where Vert.x has no io_uring transport
     * @throws IllegalArgumentException for another name
     */
    static AioProvider provider(String name) {
        return switch (name) {
            case "epoll" -> new EpollAioProvider();
            case "uring" -> new UringAioProvider();
            case "vertx" -> new VertxAioProvider();
            case "vertx-ring" -> Transport.IO_URING.available() ? new VertxAioProvider(Transport.IO_URING) : null;
            default -> throw new IllegalArgumentException("unknown adapter " + name);
        };
    }

    private int run(long seconds) throws Exception {
        Path dir = Files.createTempDirectory("aioops-soak");
        Path file = dir.resolve("soak.bin");
        byte[] content = new byte[(int) FILE_SIZE];
        new SplittableRandom(1).nextBytes(content);
        Files.write(file, content);
        int fileHandle = await(c -> ops.open(file, EnumSet.of(AioOpenOption.READ, AioOpenOption.WRITE), null, c));
        int listener = await(c -> ops.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128, null,
                c));
        InetSocketAddress address = (InetSocketAddress) ops.localAddress(listener);
        for (int i = 0; i < PAIRS; i++) {
            CompletableFuture<Integer> server = new CompletableFuture<>();
            ops.accept(listener, null, (h, a) -> server.complete(h));
            int client = await(c -> ops.connect(address, null, c));
            startEcho(client, server.get(30, TimeUnit.SECONDS), i);
        }
        for (int i = 0; i < FILE_CHAINS; i++) {
            startFile(fileHandle, i);
        }
        for (int i = 0; i < CHURN_CHAINS; i++) {
            startChurn(file, listener, address, i);
        }
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            // The soak's own pace, not synchronisation: a progress line every 10 s.
            Thread.sleep(Math.min(10_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            System.out.printf("soak %s: %ds, %d completions, %d handles churned, %d errors%n", ops.adapterName(),
                    TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), completed.sum(), churned.sum(),
                    errors.sum());
        }
        stop = true;
        boolean drained = stopped.await(30, TimeUnit.SECONDS);
        System.out.printf("soak %s done: %d completions, %d handles churned, %d errors%s%s%n", ops.adapterName(),
                completed.sum(), churned.sum(), errors.sum(), drained ? "" : ", chains did not stop in 30 s",
                firstError == null ? "" : "; first error: " + firstError);
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
        return errors.sum() == 0 && drained ? 0 : 1;
    }

    private int await(java.util.function.ToLongFunction<dev.aioops.spi.AioCompletion<Object>> submit)
            throws Exception {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        submit.applyAsLong((r, a) -> f.complete(r));
        int r = f.get(30, TimeUnit.SECONDS);
        if (r < 0) {
            throw new IllegalStateException("soak setup failed: " + AioErrno.name(r));
        }
        return r;
    }

    private void error(String what, int result) {
        errors.increment();
        if (firstError == null) {
            firstError = what + ": " + result + " (" + AioErrno.name(result) + ")";
        }
    }

    /** A chain has ended; the last one lets {@link #run} finish. */
    private void chainEnded() {
        if (chains.decrementAndGet() == 0) {
            stopped.countDown();
        }
    }

    private void startEcho(int client, int server, int seed) {
        MemorySegment out = arena.allocate(ECHO);
        MemorySegment mid = arena.allocate(ECHO);
        MemorySegment in = arena.allocate(ECHO);
        chains.addAndGet(2);
        serve(server, mid);
        ping(client, out, in, new SplittableRandom(seed));
    }

    private void serve(int server, MemorySegment mid) {
        ops.read(server, mid, AioOperations.STREAM, null, (r, a) -> {
            if (r <= 0) {
                if (!stop || r != 0) {
                    error("echo server read", r);
                }
                ops.close(server, null, (c, b) -> chainEnded());
                return;
            }
            completed.increment();
            AioTransfers.writeFully(ops, server, mid.asSlice(0, r), AioOperations.STREAM, null, (w, b) -> {
                if (w < 0) {
                    error("echo server write", w);
                }
                serve(server, mid);
            });
        });
    }

    private void ping(int client, MemorySegment out, MemorySegment in, SplittableRandom random) {
        if (stop) {
            // Closing the client ends the server's chain with end of stream.
            ops.close(client, null, (c, a) -> chainEnded());
            return;
        }
        for (long i = 0; i < ECHO; i += 8) {
            out.set(ValueLayout.JAVA_LONG_UNALIGNED, i, random.nextLong());
        }
        AioTransfers.writeFully(ops, client, out, AioOperations.STREAM, null, (w, a) -> {
            if (w < 0) {
                error("echo client write", w);
            }
        });
        AioTransfers.readFully(ops, client, in, AioOperations.STREAM, null, (r, a) -> {
            completed.increment();
            if (r != ECHO || in.mismatch(out) >= 0) {
                error("echo client read (or its bytes)", r);
            }
            ping(client, out, in, random);
        });
    }

    private void startFile(int handle, int chain) {
        chains.incrementAndGet();
        fileStep(handle, chain, arena.allocate(BLOCK, 4096), arena.allocate(BLOCK, 4096), new SplittableRandom(chain));
    }

    /** Writes a block of its own (chain i owns the blocks whose index is i modulo the chains), reads it back. */
    private void fileStep(int handle, int chain, MemorySegment write, MemorySegment read, SplittableRandom random) {
        if (stop) {
            chainEnded();
            return;
        }
        long at = (random.nextLong(FILE_SIZE / BLOCK / FILE_CHAINS) * FILE_CHAINS + chain) * BLOCK;
        for (long i = 0; i < BLOCK; i += 8) {
            write.set(ValueLayout.JAVA_LONG_UNALIGNED, i, random.nextLong());
        }
        ops.write(handle, write, at, null, (w, a) -> {
            completed.increment();
            if (w != BLOCK) {
                error("file write", w);
            }
            ops.read(handle, read, at, null, (r, b) -> {
                completed.increment();
                if (r != BLOCK || read.mismatch(write) >= 0) {
                    error("file read back (or its bytes)", r);
                }
                fileStep(handle, chain, write, read, random);
            });
        });
    }

    private void startChurn(Path file, int listener, InetSocketAddress address, int seed) {
        chains.incrementAndGet();
        churn(file, listener, address, arena.allocate(4096), new SplittableRandom(seed));
    }

    private void churn(Path file, int listener, InetSocketAddress address, MemorySegment buf,
                       SplittableRandom random) {
        if (stop) {
            chainEnded();
            return;
        }
        Runnable next = () -> {
            churned.increment();
            churn(file, listener, address, buf, random);
        };
        switch (random.nextInt(3)) {
            case 0 -> ops.open(file, EnumSet.of(AioOpenOption.READ), null, (h, a) -> {
                if (h < 0) {
                    error("churn open", h);
                    next.run();
                    return;
                }
                ops.read(h, buf, random.nextLong(FILE_SIZE - buf.byteSize()), null, (r, b) -> {
                    if (r != buf.byteSize()) {
                        error("churn read", r);
                    }
                    closeThen(h, next);
                });
            });
            case 1 -> {
                int[] ends = {-1, -1};
                AtomicInteger arrived = new AtomicInteger();
                Runnable both = () -> {
                    if (arrived.incrementAndGet() == 2) {
                        closeThen(ends[0], () -> closeThen(ends[1], next));
                    }
                };
                ops.accept(listener, null, (h, a) -> {
                    if (h < 0) {
                        error("churn accept", h);
                    }
                    ends[1] = h;
                    both.run();
                });
                ops.connect(address, null, (h, a) -> {
                    if (h < 0) {
                        error("churn connect", h);
                    }
                    ends[0] = h;
                    both.run();
                });
            }
            default -> ops.eventfd(0, null, (h, a) -> {
                if (h < 0) {
                    error("churn eventfd", h);
                    next.run();
                    return;
                }
                ops.read(h, buf.asSlice(0, 8), AioOperations.STREAM, null, (r, b) -> {
                    if (r != 8 || buf.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != 3) {
                        error("churn eventfd read", r);
                    }
                    closeThen(h, next);
                });
                ops.signal(h, 3);
            });
        }
    }

    private void closeThen(int handle, Runnable next) {
        if (handle < 0) {
            next.run();
            return;
        }
        ops.close(handle, null, (c, a) -> {
            completed.increment();
            if (c != 0) {
                error("churn close", c);
            }
            next.run();
        });
    }
}
