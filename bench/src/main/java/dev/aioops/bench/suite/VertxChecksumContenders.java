package dev.aioops.bench.suite;

import dev.aioops.examples.checksum.ByteSum;
import dev.aioops.vertx.VertxAioProvider;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.AsyncFile;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.transport.Transport;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Vert.x contenders of the checksum workload: the Vert.x adapter in its shared-ring mode (Vert.x on its io_uring
 * transport, the library's reads on the event loop's own ring), and Vert.x's own {@link AsyncFile}, whose positional
 * reads run on the Vert.x worker pool, with the same blocks and the same number in flight.
 */
final class VertxChecksumContenders {

    private static final long WAIT_SECONDS = 600;

    private VertxChecksumContenders() {
    }

    /** The checksum library on the Vert.x adapter, Vert.x running on io_uring: the shared-ring mode. */
    static Contender sharedRing(Path file, int blockSize, int inFlight, int passes, boolean direct) {
        Contender ring = ChecksumContenders.aioops(new VertxAioProvider(Transport.IO_URING),
                "aioops vertx shared ring", file, blockSize, inFlight, passes, direct);
        return new Contender() {
            @Override
            public String name() {
                return ring.name();
            }

            @Override
            public String unavailable() {
                return Transport.IO_URING.available() ? ring.unavailable()
                        : "Vert.x's io_uring transport is not available: " + Transport.IO_URING.unavailabilityCause();
            }

            @Override
            public Trial run() throws Exception {
                return ring.run();
            }

            @Override
            public void close() throws Exception {
                ring.close();
            }
        };
    }

    /**
     * Vert.x's {@link AsyncFile} on an event loop of its own (the worker pool does the reads); unavailable with
     * {@code direct}, since {@link OpenOptions} has no O_DIRECT.
     */
    static Contender asyncFile(Path file, int blockSize, int inFlight, int passes, boolean direct) {
        return new Contender() {
            private Vertx vertx;

            @Override
            public String name() {
                return "Vert.x AsyncFile";
            }

            @Override
            public String unavailable() {
                return direct ? "Vert.x AsyncFile cannot read with O_DIRECT (OpenOptions has no such flag)" : null;
            }

            @Override
            public Trial run() throws Exception {
                if (vertx == null) {
                    vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
                }
                io.vertx.core.Context context = vertx.getOrCreateContext();
                return Trial.measure(passes, () -> {
                    CompletableFuture<Trial.Outcome> sum = new CompletableFuture<>();
                    context.runOnContext(v -> new AsyncFileSum(vertx, file, blockSize, inFlight, sum).open());
                    return sum.get(WAIT_SECONDS, TimeUnit.SECONDS);
                });
            }

            @Override
            public void close() throws Exception {
                if (vertx != null) {
                    vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
                }
            }
        };
    }

    /** One sum: {@code inFlight} positional reads outstanding; runs on the context's event loop. */
    private static final class AsyncFileSum {
        private final Vertx vertx;
        private final Path path;
        private final int blockSize;
        private final int inFlight;
        private final CompletableFuture<Trial.Outcome> result;
        private AsyncFile file;
        private long length;
        private long next;
        private long sum;
        private int running;

        AsyncFileSum(Vertx vertx, Path path, int blockSize, int inFlight, CompletableFuture<Trial.Outcome> result) {
            this.vertx = vertx;
            this.path = path;
            this.blockSize = blockSize;
            this.inFlight = inFlight;
            this.result = result;
        }

        void open() {
            vertx.fileSystem().open(path.toString(), new OpenOptions().setRead(true))
                    .compose(f -> {
                        file = f;
                        return f.size();
                    })
                    .onSuccess(size -> {
                        length = size;
                        for (int i = 0; i < inFlight; i++) {
                            issue();
                        }
                    })
                    .onFailure(result::completeExceptionally);
        }

        private void issue() {
            if (next >= length) {
                if (running == 0 && !result.isDone()) {
                    file.close();
                    result.complete(new Trial.Outcome(length, sum));
                }
                return;
            }
            long position = next;
            int n = (int) Math.min(blockSize, length - position);
            next += n;
            running++;
            file.read(Buffer.buffer(n), 0, position, n).onComplete(read -> {
                running--;
                if (read.failed()) {
                    if (result.completeExceptionally(read.cause())) {
                        file.close();
                    }
                    return;
                }
                ByteBuffer bytes = ((BufferInternal) read.result()).getByteBuf().nioBuffer();
                sum += ByteSum.sumOf(MemorySegment.ofBuffer(bytes), bytes.remaining());
                issue();
            });
        }
    }
}
