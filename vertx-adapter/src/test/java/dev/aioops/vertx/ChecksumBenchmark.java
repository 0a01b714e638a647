package dev.aioops.vertx;

import dev.aioops.examples.checksum.ByteChecksummer;
import dev.aioops.examples.checksum.ByteSum;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.transport.Transport;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Checksums a page-cached file from inside a verticle three ways, with the same block size and number of reads
 * in flight: the shared-ring mode (Vert.x on io_uring), Vert.x's own {@link AsyncFile} (positional reads on the
 * Vert.x worker pool), and the Vert.x-native mode. Prints the median wall time and process CPU time of each,
 * and the ratios to {@code AsyncFile}. Run one variant per JVM (last argument) for figures free of the other
 * variants' JIT profile. A benchmark to run by hand, not a test:
 *
 * <pre>
 * ./mvnw -q -B test-compile -f vertx-adapter/pom.xml
 * ./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -f vertx-adapter/pom.xml
 * cd vertx-adapter
 * java --enable-native-access=ALL-UNNAMED -cp target/test-classes:target/classes:$(cat /tmp/cp.txt) \
 *     dev.aioops.vertx.ChecksumBenchmark [file] [sizeMiB] [runs] [all|asyncfile|ring|native]
 * </pre>
 */
public final class ChecksumBenchmark {

    private static final int BLOCK = 128 * 1024;
    private static final int IN_FLIGHT = 8;

    private ChecksumBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args the file (created if missing), its size in MiB (default 1024), runs per variant (default 5)
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "target/checksum-1g.bin");
        long size = (args.length > 1 ? Long.parseLong(args[1]) : 1024) << 20;
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        String only = args.length > 3 ? args[3] : "all";
        prepare(file, size);

        Vertx nio = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Vertx uring = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(1))
                .withTransport(Transport.IO_URING).build();
        try {
            System.out.printf("file %s, %d MiB, blocks of %d KiB, %d in flight, %d runs per variant%n",
                    file, size >> 20, BLOCK / 1024, IN_FLIGHT, runs);
            long expected = plainSum(file);
            List<String> lines = new ArrayList<>();
            double[] none = {Double.NaN, Double.NaN};
            double[] asyncFile = only.equals("all") || only.equals("asyncfile")
                    ? measure("vertx AsyncFile (worker pool)", nio, runs, expected, ctx -> asyncFileSum(ctx, file))
                    : none;
            double[] ring = only.equals("all") || only.equals("ring")
                    ? measure("aioops shared ring (io_uring)", uring, runs, expected, ctx -> aioopsSum(file))
                    : none;
            double[] nat = only.equals("all") || only.equals("native")
                    ? measure("aioops vertx-native", nio, runs, expected, ctx -> aioopsSum(file))
                    : none;
            lines.add(line("vertx AsyncFile (worker pool)", asyncFile, asyncFile));
            lines.add(line("aioops shared ring (io_uring)", ring, asyncFile));
            lines.add(line("aioops vertx-native", nat, asyncFile));
            System.out.println();
            System.out.println("variant                          wall ms   cpu ms   wall/AsyncFile  cpu/AsyncFile");
            lines.forEach(System.out::println);
        } finally {
            nio.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            uring.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static String line(String name, double[] m, double[] base) {
        return String.format("%-30s %9.1f %8.1f %15.2f %14.2f", name, m[0], m[1], m[0] / base[0], m[1] / base[1]);
    }

    /** Median wall and CPU milliseconds of {@code runs} checksums, each in a freshly deployed verticle. */
    private static double[] measure(String name, Vertx vertx, int runs, long expected,
                                    Function<io.vertx.core.Context, CompletableFuture<Long>> sum) throws Exception {
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        for (int r = -1; r < runs; r++) {
            CompletableFuture<Long> result = new CompletableFuture<>();
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            String id = vertx.deployVerticle(new VerticleBase() {
                @Override
                public Future<?> start() {
                    sum.apply(context).whenComplete((s, e) -> {
                        if (e != null) {
                            result.completeExceptionally(e);
                        } else {
                            result.complete(s);
                        }
                    });
                    return Future.succeededFuture();
                }
            }).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            long got = result.get(300, TimeUnit.SECONDS);
            long elapsed = System.nanoTime() - t0;
            long cpuUsed = processCpuNanos() - cpu0;
            vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            if (got != expected) {
                throw new AssertionError(name + ": sum " + got + " but expected " + expected);
            }
            if (r >= 0) {
                wall[r] = elapsed / 1e6;
                cpu[r] = cpuUsed / 1e6;
            }
            System.out.printf("%-30s run %d: %.1f ms wall, %.1f ms cpu%s%n", name, r, elapsed / 1e6, cpuUsed / 1e6,
                    r < 0 ? " (warm-up)" : "");
        }
        return new double[] {median(wall), median(cpu)};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static long processCpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
    }

    /** The library under test, on an instance bound to the verticle's context (so the mode Vert.x allows). */
    private static CompletableFuture<Long> aioopsSum(Path file) {
        VertxAioOperations aio = VertxAio.forCurrentContext();
        return new ByteChecksummer(aio, BLOCK, IN_FLIGHT).sumFile(file).thenApply(ByteSum::sum);
    }

    /** The same work with Vert.x's AsyncFile: positional reads into Vert.x buffers on the worker pool. */
    private static CompletableFuture<Long> asyncFileSum(io.vertx.core.Context context, Path file) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        context.owner().fileSystem().open(file.toString(), new OpenOptions().setRead(true)).onComplete(opened -> {
            if (opened.failed()) {
                result.completeExceptionally(opened.cause());
                return;
            }
            AsyncFile f = opened.result();
            f.size().onSuccess(length -> new Object() {
                long next;
                long sum;
                int running;

                void start() {
                    for (int i = 0; i < IN_FLIGHT; i++) {
                        issue();
                    }
                }

                void issue() {
                    if (next >= length) {
                        if (running == 0 && !result.isDone()) {
                            f.close();
                            result.complete(sum);
                        }
                        return;
                    }
                    long position = next;
                    int n = (int) Math.min(BLOCK, length - position);
                    next += n;
                    running++;
                    f.read(Buffer.buffer(n), 0, position, n).onComplete(ar -> {
                        running--;
                        if (ar.failed()) {
                            result.completeExceptionally(ar.cause());
                            return;
                        }
                        ByteBuffer bytes = ((BufferInternal) ar.result()).getByteBuf().nioBuffer();
                        sum += ByteSum.sumOf(MemorySegment.ofBuffer(bytes), bytes.remaining());
                        issue();
                    });
                }
            }.start()).onFailure(result::completeExceptionally);
        });
        return result;
    }


    /** Reads the file once with a plain loop: the expected sum, and the file is in the page cache afterwards. */
    private static long plainSum(Path file) throws IOException {
        long sum = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(buffer) > 0) {
                buffer.flip();
                sum += ByteSum.sumOf(MemorySegment.ofBuffer(buffer), buffer.remaining());
                buffer.clear();
            }
        }
        return sum;
    }

    private static void prepare(Path file, long size) throws IOException {
        if (Files.exists(file) && Files.size(file) == size) {
            return;
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
            long seed = 0x9E3779B97F4A7C15L;
            for (long written = 0; written < size; written += block.capacity()) {
                block.clear();
                while (block.hasRemaining()) {
                    seed ^= seed << 13;
                    seed ^= seed >>> 7;
                    seed ^= seed << 17;
                    block.putLong(seed);
                }
                block.flip();
                while (block.hasRemaining()) {
                    ch.write(block);
                }
            }
        }
    }
}
