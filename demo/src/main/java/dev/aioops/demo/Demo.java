package dev.aioops.demo;

import dev.aioops.examples.checksum.ByteChecksummer;
import dev.aioops.examples.checksum.ByteSum;
import dev.aioops.spi.Aio;
import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.spi.AioTransfers;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The application side of aioops: it chooses an adapter at startup ({@link Aio}), writes a file and
 * checksums it with a library written against the spi alone, echoes data over loopback, and serves HTTP from a
 * group of two loops ({@link GroupHttpStep}), printing what it did and which adapter did it. Blocking waits happen
 * on the main thread, never on the loop.
 */
public final class Demo {

    private static final int FILE_SIZE = 16 << 20;
    private static final int ECHO_SIZE = 4 << 20;
    private static final long WAIT_SECONDS = 60;

    private Demo() {
    }

    /**
     * Runs the demo.
     *
     * @param args ignored; choose the adapter with {@code -Daioops.adapter=uring|epoll}
     * @throws Exception when a step fails, with the errno in the message
     */
    public static void main(String[] args) throws Exception {
        System.out.println("aioops demo");
        for (AioProvider p : Aio.providers()) {
            System.out.printf("  adapter %-6s %s%n", p.name(), p.isAvailable() ? "available"
                    : "not available: " + p.unavailabilityCause().getMessage());
        }
        AioProvider provider = Aio.provider();
        try (AioOperations ops = provider.open(AioConfig.defaults());
             Arena arena = Arena.ofShared()) {
            System.out.printf("using adapter '%s' with %s%n", ops.adapterName(), ops.capabilities());
            Path dir = Files.createTempDirectory("aioops-demo");
            try {
                fileStep(ops, arena, dir.resolve("data.bin"));
                echoStep(ops, arena);
                GroupHttpStep.run(provider, dir);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.delete(dir);
            }
        }
        System.out.println("done: every result checked");
    }

    private static void fileStep(AioOperations ops, Arena arena, Path file) throws Exception {
        MemorySegment data = arena.allocate(FILE_SIZE, 4096);
        SplittableRandom random = new SplittableRandom(42);
        for (long i = 0; i < FILE_SIZE; i += 8) {
            data.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, i, random.nextLong());
        }
        long start = System.nanoTime();
        int handle = await("open " + file, c -> ops.open(file, EnumSet.of(AioOpenOption.WRITE,
                AioOpenOption.CREATE, AioOpenOption.TRUNCATE), null, c));
        await("write " + file, c -> AioTransfers.writeFully(ops, handle, data, 0, null, c));
        await("fsync " + file, c -> ops.fsync(handle, null, c));
        await("close " + file, c -> ops.close(handle, null, c));
        long written = System.nanoTime() - start;

        start = System.nanoTime();
        ByteSum sum = new ByteChecksummer(ops).sumFile(file).get(WAIT_SECONDS, TimeUnit.SECONDS);
        long summed = System.nanoTime() - start;
        ByteSum expected = plainJavaSum(file);
        System.out.printf("file:  wrote %d MiB (open, write, fsync, close) in %.1f ms; checksummed in 32 KiB blocks, "
                        + "4 reads in flight, in %.1f ms: sum %d %s%n", FILE_SIZE >> 20, written / 1e6, summed / 1e6,
                sum.sum(), sum.equals(expected) ? "= plain Java loop" : "!= plain Java loop " + expected);
        if (!sum.equals(expected)) {
            throw new IllegalStateException("checksum mismatch: " + sum + " vs " + expected);
        }
    }

    private static void echoStep(AioOperations ops, Arena arena) throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        int listener = await("listen", c -> ops.listen(any, 16, null, c));
        InetSocketAddress address = (InetSocketAddress) ops.localAddress(listener);
        CompletableFuture<Integer> served = new CompletableFuture<>();
        ops.accept(listener, null, (socket, a) -> {
            if (socket < 0) {
                served.completeExceptionally(AioErrno.exception(socket, "accept"));
            } else {
                new EchoConnection(ops, socket, arena.allocate(64 * 1024), served).readNext();
            }
        });

        MemorySegment out = arena.allocate(ECHO_SIZE);
        MemorySegment in = arena.allocate(ECHO_SIZE);
        for (long i = 0; i < ECHO_SIZE; i++) {
            out.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, (byte) (i * 31 + 7));
        }
        long start = System.nanoTime();
        int client = await("connect " + address, c -> ops.connect(address, null, c));
        CompletableFuture<Integer> received = future(c -> AioTransfers.readFully(ops, client, in,
                AioOperations.STREAM, null, c));
        await("send", c -> AioTransfers.writeFully(ops, client, out, AioOperations.STREAM, null, c));
        int back = check("receive", received.get(WAIT_SECONDS, TimeUnit.SECONDS));
        long elapsed = System.nanoTime() - start;
        await("close client", c -> ops.close(client, null, c));
        int echoed = served.get(WAIT_SECONDS, TimeUnit.SECONDS);
        await("close listener", c -> ops.close(listener, null, c));
        boolean intact = back == ECHO_SIZE && in.mismatch(out) == -1;
        System.out.printf("echo:  %d MiB to %s and back through one echo server on the same loop in %.1f ms: %s "
                + "(server echoed %d bytes)%n", ECHO_SIZE >> 20, address, elapsed / 1e6,
                intact ? "intact" : "CORRUPTED", echoed);
        if (!intact) {
            throw new IllegalStateException("echoed data differs");
        }
    }

    /** Echoes what it reads until the peer closes; completes {@code done} with the number of bytes echoed. */
    private static final class EchoConnection {
        private final AioOperations ops;
        private final int socket;
        private final MemorySegment buffer;
        private final CompletableFuture<Integer> done;
        private int echoed;

        EchoConnection(AioOperations ops, int socket, MemorySegment buffer, CompletableFuture<Integer> done) {
            this.ops = ops;
            this.socket = socket;
            this.buffer = buffer;
            this.done = done;
        }

        void readNext() {
            ops.read(socket, buffer, AioOperations.STREAM, this, EchoConnection::onRead);
        }

        private void onRead(int n) {
            if (n <= 0) {
                ops.close(socket, null, (r, a) -> {
                });
                if (n == 0) {
                    done.complete(echoed);
                } else {
                    done.completeExceptionally(AioErrno.exception(n, "echo read"));
                }
                return;
            }
            AioTransfers.writeFully(ops, socket, buffer.asSlice(0, n), AioOperations.STREAM, this,
                    EchoConnection::onWritten);
        }

        private void onWritten(int n) {
            if (n < 0) {
                done.completeExceptionally(AioErrno.exception(n, "echo write"));
                return;
            }
            echoed += n;
            readNext();
        }

        private static void onRead(int n, EchoConnection c) {
            c.onRead(n);
        }

        private static void onWritten(int n, EchoConnection c) {
            c.onWritten(n);
        }
    }

    private static ByteSum plainJavaSum(Path file) throws IOException {
        long sum = 0;
        long length = 0;
        byte[] block = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(block)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    sum += block[i] & 0xff;
                }
                length += n;
            }
        }
        return new ByteSum(length, sum);
    }

    private static CompletableFuture<Integer> future(Consumer<AioCompletion<Object>> submit) {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        submit.accept((result, attachment) -> f.complete(result));
        return f;
    }

    private static int await(String what, Consumer<AioCompletion<Object>> submit)
            throws ExecutionException, InterruptedException, TimeoutException, IOException {
        return check(what, future(submit).get(WAIT_SECONDS, TimeUnit.SECONDS));
    }

    private static int check(String what, int result) throws IOException {
        return AioErrno.check(result, what);
    }
}
