package dev.aioops.bench.suite;

import dev.aioops.examples.checksum.ByteChecksummer;
import dev.aioops.examples.checksum.ByteSum;
import com.sun.nio.file.ExtendedOpenOption;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.CompletionHandler;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The contenders of the file checksum workload: sum every byte of a file read in fixed blocks. Each yields the
 * byte sum as its check, so a contender that skipped or repeated a block shows up in the report. A trial sums the
 * file {@code passes} times, so that small files are timed over a measurable span. With {@code direct}, every
 * contender reads with {@code O_DIRECT} into buffers aligned to {@link #ALIGNMENT}; the file's short last block
 * ends the file.
 */
final class ChecksumContenders {

    private static final long TIMEOUT_SECONDS = 600;
    /** Buffer, offset and length alignment of the O_DIRECT contenders: a page, as the checksum library uses. */
    static final int ALIGNMENT = ByteChecksummer.DIRECT_ALIGNMENT;

    private ChecksumContenders() {
    }

    /** The checksum example library on an aioops adapter: the workload as a library author writes it. */
    static Contender aioops(AioProvider provider, Path file, int blockSize, int inFlight, int passes,
                            boolean direct) {
        return aioops(provider, "aioops " + provider.name(), file, blockSize, inFlight, passes, direct);
    }

    /** The same, under another name (a second configuration of one adapter). */
    static Contender aioops(AioProvider provider, String name, Path file, int blockSize, int inFlight, int passes,
                            boolean direct) {
        return new AdapterContender(provider, name) {
            private AioOperations ops;

            @Override
            public String unavailable() {
                if (super.unavailable() != null) {
                    return super.unavailable();
                }
                if (direct && !operations().supports(AioCapability.DIRECT_IO)) {
                    // What the library would report: ByteChecksummer.sumFileDirect fails with EOPNOTSUPP.
                    return "no O_DIRECT on this adapter (AioCapability.DIRECT_IO): sumFileDirect fails with "
                            + "EOPNOTSUPP";
                }
                return null;
            }

            private AioOperations operations() {
                if (ops == null) {
                    ops = provider.open(AioConfig.defaults());
                }
                return ops;
            }

            @Override
            public Trial run() throws Exception {
                ByteChecksummer checksummer = new ByteChecksummer(operations(), blockSize, inFlight);
                return Trial.measure(passes, () -> {
                    ByteSum sum = (direct ? checksummer.sumFileDirect(file) : checksummer.sumFile(file))
                            .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    return new Trial.Outcome(sum.length(), sum.sum());
                });
            }

            @Override
            public void close() {
                if (ops != null) {
                    ops.close();
                }
            }
        };
    }

    /**
     * Wraps O_DIRECT contenders so that each trial's sum must equal the file's page-cached sum, taken once here:
     * the suite checks agreement within a workload, this ties the O_DIRECT workload to the cached one.
     */
    static List<Contender> agreeingWithCachedSum(Path file, List<Contender> contenders) throws IOException {
        long cached = 0;
        ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
        MemorySegment segment = MemorySegment.ofBuffer(block);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int n; (n = ch.read(block.clear())) > 0; ) {
                cached += ByteSum.sumOf(segment, n);
            }
        }
        long expected = cached;
        return contenders.stream().<Contender>map(c -> new Contender() {
            @Override
            public String name() {
                return c.name();
            }

            @Override
            public String unavailable() {
                return c.unavailable();
            }

            @Override
            public Trial run() throws Exception {
                Trial t = c.run();
                if (t.check() != expected) {
                    throw new IllegalStateException(c.name() + " summed " + file + " with O_DIRECT to " + t.check()
                            + ", page-cached reads to " + expected);
                }
                return t;
            }

            @Override
            public void close() throws Exception {
                c.close();
            }
        }).toList();
    }

    /** A plain loop of positional {@link FileChannel} reads on one thread: the single-thread ceiling. */
    static Contender blockingFileChannel(Path file, int blockSize, int passes, boolean direct) {
        return new Contender() {
            @Override
            public String name() {
                return "FileChannel loop";
            }

            @Override
            public Trial run() throws Exception {
                ByteBuffer block = direct ? buffer(blockSize) : ByteBuffer.allocateDirect(blockSize);
                MemorySegment segment = MemorySegment.ofBuffer(block);
                return Trial.measure(passes, () -> {
                    long sum = 0;
                    long length = 0;
                    try (FileChannel ch = FileChannel.open(file, openOptions(direct))) {
                        for (int n; (n = ch.read(block.clear(), length)) > 0; ) {
                            sum += ByteSum.sumOf(segment, n);
                            length += n;
                            if (direct && n % ALIGNMENT != 0) {
                                break; // the short last block: reading on would be an unaligned read
                            }
                        }
                    }
                    return new Trial.Outcome(length, sum);
                });
            }
        };
    }

    /**
     * The JDK's {@link AsynchronousFileChannel} with its default thread pool (what it does on Linux: a pool
     * thread per read in flight, positional reads), the same blocks and the same number in flight.
     */
    static Contender asynchronousFileChannel(Path file, int blockSize, int inFlight, int passes, boolean direct) {
        return new Contender() {
            @Override
            public String name() {
                return "AsynchronousFileChannel";
            }

            @Override
            public Trial run() throws Exception {
                return Trial.measure(passes, () -> {
                    try (AsynchronousFileChannel ch = AsynchronousFileChannel.open(file, openOptions(direct), null)) {
                        return new AfcChecksum(ch, ch.size(), blockSize, inFlight, direct).run();
                    }
                });
            }
        };
    }

    private static Set<OpenOption> openOptions(boolean direct) {
        return direct ? Set.of(StandardOpenOption.READ, ExtendedOpenOption.DIRECT) : Set.of(StandardOpenOption.READ);
    }

    /** A direct buffer of {@code size} bytes starting on a page boundary, as O_DIRECT needs. */
    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocateDirect(size + ALIGNMENT).alignedSlice(ALIGNMENT).limit(size).slice();
    }

    /** Sums a file with {@code inFlight} reads outstanding; completions run on the JDK's pool threads. */
    static final class AfcChecksum implements CompletionHandler<Integer, AfcChecksum.Slot> {
        private final AsynchronousFileChannel channel;
        private final long size;
        private final int blockSize;
        private final int inFlight;
        private final boolean direct;
        private final CompletableFuture<Trial.Outcome> done = new CompletableFuture<>();
        private long nextOffset;
        private long sum;
        private long length;
        private int outstanding;
        private Throwable failure;

        AfcChecksum(AsynchronousFileChannel channel, long size, int blockSize, int inFlight, boolean direct) {
            this.channel = channel;
            this.size = size;
            this.blockSize = blockSize;
            this.inFlight = inFlight;
            this.direct = direct;
        }

        Trial.Outcome run() throws Exception {
            for (int i = 0; i < inFlight; i++) {
                Slot slot = new Slot(direct ? buffer(blockSize) : ByteBuffer.allocateDirect(blockSize));
                synchronized (this) {
                    if (!issue(slot)) {
                        break;
                    }
                }
            }
            synchronized (this) {
                if (outstanding == 0) {
                    done.complete(new Trial.Outcome(length, sum));
                }
            }
            return done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }

        /** Called with the lock held. */
        private boolean issue(Slot slot) {
            if (nextOffset >= size || failure != null) {
                return false;
            }
            slot.offset = nextOffset;
            slot.start = 0;
            nextOffset += blockSize;
            outstanding++;
            channel.read(slot.buffer.clear(), slot.offset, slot, this);
            return true;
        }

        @Override
        public void completed(Integer n, Slot slot) {
            long partial = n > 0 ? ByteSum.sumOf(slot.segment.asSlice(slot.start), n) : 0;
            synchronized (this) {
                outstanding--;
                if (n > 0) {
                    sum += partial;
                    length += n;
                    if (slot.start + n < blockSize && slot.offset + n < size && (!direct || n % ALIGNMENT == 0)) {
                        // A short read in the middle: read the rest of this block (with O_DIRECT, only from an
                        // aligned offset; an unaligned short read is the end of the file).
                        slot.offset += n;
                        slot.start += n;
                        outstanding++;
                        channel.read(slot.buffer.clear().position(slot.start), slot.offset, slot, this);
                        return;
                    }
                }
                if (!issue(slot) && outstanding == 0) {
                    finish();
                }
            }
        }

        @Override
        public void failed(Throwable error, Slot slot) {
            synchronized (this) {
                outstanding--;
                failure = error;
                if (outstanding == 0) {
                    finish();
                }
            }
        }

        private void finish() {
            if (failure != null) {
                done.completeExceptionally(failure);
            } else {
                done.complete(new Trial.Outcome(length, sum));
            }
        }

        private static final class Slot {
            final ByteBuffer buffer;
            final MemorySegment segment;
            long offset;
            int start;

            Slot(ByteBuffer buffer) {
                this.buffer = buffer;
                this.segment = MemorySegment.ofBuffer(buffer);
            }
        }
    }
}
