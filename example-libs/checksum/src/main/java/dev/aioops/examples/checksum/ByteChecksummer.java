package dev.aioops.examples.checksum;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioFutures;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.spi.AioOperations;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Sums the bytes of files and TCP streams ({@link ByteSum}) with I/O performed by an {@link AioOperations}.
 *
 * <p>A file is read in blocks of {@link #blockSize()} bytes at explicit offsets, with up to
 * {@link #readsInFlight()} reads submitted at once, so that the adapter (the kernel, on io_uring) works on
 * several blocks while the loop sums another. Short reads are continued where they stopped; the end of the file
 * is the first read that returns 0. A stream is read one block at a time, since a socket delivers its bytes in
 * one order, until the peer closes it.
 *
 * <p><b>O_DIRECT.</b> {@link #sumFileDirect(Path)} reads around the page cache: it opens the file with
 * {@link AioOpenOption#DIRECT}, reads into buffers aligned to {@link #DIRECT_ALIGNMENT} bytes, at offsets and
 * lengths that are multiples of it (so the block size must be one too). An adapter without
 * {@link dev.aioops.spi.AioCapability#DIRECT_IO}, or a file system that refuses {@code O_DIRECT}, fails the sum
 * with an {@link dev.aioops.spi.AioException} of {@code EOPNOTSUPP} or {@code EINVAL} naming the open; nothing
 * falls back to cached reads silently.
 *
 * <p><b>Threads.</b> The methods may be called from any thread. The returned futures complete on the loop of the
 * {@link AioOperations}: keep dependent stages short, or use the {@code *Async} variants; never wait for one of
 * them on the loop itself. <b>Buffers</b> are allocated per sum from a shared {@link Arena} of this class's and
 * freed once no read is in flight. <b>Failures</b> complete the future exceptionally with an
 * {@link dev.aioops.spi.AioException} naming the operation and its errno; an instance that is closed during a
 * sum fails it with {@code ECANCELED}.
 */
public final class ByteChecksummer {

    /** The default block size: 32 KiB. */
    public static final int DEFAULT_BLOCK_SIZE = 32 * 1024;

    /** The default number of file reads in flight at once. */
    public static final int DEFAULT_READS_IN_FLIGHT = 4;

    /**
     * The alignment of buffers, offsets and lengths of {@link #sumFileDirect(Path)}: 4096 bytes, a page, which
     * covers the logical block size of every common device (512 or 4096 bytes).
     */
    public static final int DIRECT_ALIGNMENT = 4096;

    private final AioOperations ops;
    private final int blockSize;
    private final int readsInFlight;

    /**
     * A checksummer with 32 KiB blocks and 4 reads in flight.
     *
     * @param ops the operations to read with; the caller keeps owning them
     */
    public ByteChecksummer(AioOperations ops) {
        this(ops, DEFAULT_BLOCK_SIZE, DEFAULT_READS_IN_FLIGHT);
    }

    /**
     * A checksummer with the given block size and parallelism.
     *
     * @param ops           the operations to read with; the caller keeps owning them
     * @param blockSize     bytes per read, from 1 to 64 MiB
     * @param readsInFlight how many file reads may be in flight at once, from 1 to 1024
     * @throws NullPointerException     if {@code ops} is null
     * @throws IllegalArgumentException if a number is out of range
     */
    public ByteChecksummer(AioOperations ops, int blockSize, int readsInFlight) {
        this.ops = Objects.requireNonNull(ops, "ops");
        if (blockSize < 1 || blockSize > 64 << 20) {
            throw new IllegalArgumentException("blockSize must be from 1 byte to 64 MiB, not " + blockSize);
        }
        if (readsInFlight < 1 || readsInFlight > 1024) {
            throw new IllegalArgumentException("readsInFlight must be from 1 to 1024, not " + readsInFlight);
        }
        this.blockSize = blockSize;
        this.readsInFlight = readsInFlight;
    }

    /**
     * The number of bytes each read asks for.
     *
     * @return the block size
     */
    public int blockSize() {
        return blockSize;
    }

    /**
     * How many reads of one file may be in flight at once.
     *
     * @return the number of reads in flight
     */
    public int readsInFlight() {
        return readsInFlight;
    }

    /**
     * Sums a file: opens it for reading, reads it to its end, closes it.
     *
     * @param path the file
     * @return the checksum, or an {@link dev.aioops.spi.AioException} ({@code ENOENT}, {@code EISDIR},
     *         {@code EACCES}, a read error...)
     * @throws NullPointerException  if {@code path} is null
     * @throws IllegalStateException if the operations are closed
     */
    public CompletableFuture<ByteSum> sumFile(Path path) {
        Objects.requireNonNull(path, "path");
        FileSum job = new FileSum(path, false);
        ops.open(path, EnumSet.of(AioOpenOption.READ), null, job::opened);
        return job.result;
    }

    /**
     * Sums a file read with {@code O_DIRECT}, around the page cache: the same sum as {@link #sumFile(Path)}, the
     * bytes coming from the device rather than from cached pages. Reads keep buffers, offsets and lengths aligned
     * to {@link #DIRECT_ALIGNMENT}; the file's last block may be short (the kernel returns the bytes up to the
     * end of the file), so any file size works.
     *
     * @param path the file
     * @return the checksum, or an {@link dev.aioops.spi.AioException}: {@code EOPNOTSUPP} when the adapter has no
     *         {@link dev.aioops.spi.AioCapability#DIRECT_IO}, {@code EINVAL} when the file system refuses
     *         {@code O_DIRECT} (tmpfs), or any error of {@link #sumFile(Path)}
     * @throws NullPointerException  if {@code path} is null
     * @throws IllegalStateException if the block size is not a multiple of {@link #DIRECT_ALIGNMENT}, or the
     *                               operations are closed
     */
    public CompletableFuture<ByteSum> sumFileDirect(Path path) {
        Objects.requireNonNull(path, "path");
        if (blockSize % DIRECT_ALIGNMENT != 0) {
            throw new IllegalStateException("O_DIRECT reads need a block size that is a multiple of "
                    + DIRECT_ALIGNMENT + ", not " + blockSize + ": create the checksummer with one");
        }
        FileSum job = new FileSum(path, true);
        ops.open(path, EnumSet.of(AioOpenOption.READ, AioOpenOption.DIRECT), null, job::opened);
        return job.result;
    }

    /**
     * Sums a stream until its peer closes it (a read returns 0). The handle stays open: it is the caller's.
     *
     * @param handle a connected socket handle of the operations; nothing else may read from it meanwhile
     * @return the checksum of every byte received, or an {@link dev.aioops.spi.AioException}
     * @throws IllegalStateException if the operations are closed
     */
    public CompletableFuture<ByteSum> sumStream(int handle) {
        StreamSum job = new StreamSum(handle, false);
        job.start();
        return job.result;
    }

    /**
     * Connects, sums what the server sends until it closes the connection, then closes the socket.
     *
     * @param address a resolved address
     * @return the checksum, or an {@link dev.aioops.spi.AioException} ({@code ECONNREFUSED}...)
     * @throws NullPointerException     if {@code address} is null
     * @throws IllegalArgumentException if {@code address} is unresolved
     * @throws IllegalStateException    if the operations are closed
     */
    public CompletableFuture<ByteSum> sumConnection(InetSocketAddress address) {
        Objects.requireNonNull(address, "address");
        CompletableFuture<ByteSum> result = new CompletableFuture<>();
        AioFutures.submit(ops, "connect to " + address, (future, completion) ->
                ops.connect(address, future, completion)).whenComplete((handle, connectFailure) -> {
            if (connectFailure != null) {
                result.completeExceptionally(connectFailure);
                return;
            }
            StreamSum job = new StreamSum(handle, true);
            job.result.whenComplete((sum, failure) -> {
                if (failure != null) {
                    result.completeExceptionally(failure);
                } else {
                    result.complete(sum);
                }
            });
            // The operations may have been closed since the connection was made: that fails the sum.
            job.startFromCompletion();
        });
        return result;
    }

    /** Closes a handle, ignoring the result, then runs {@code then}; runs it at once if the ops are closed. */
    private void closeQuietly(int handle, Runnable then) {
        try {
            ops.close(handle, null, (r, a) -> then.run());
        } catch (IllegalStateException closed) {
            then.run();
        }
    }

    /** One block's buffer and where it stands. */
    private static final class Slot {
        final MemorySegment buffer;
        long offset;
        int filled;

        Slot(MemorySegment buffer) {
            this.buffer = buffer;
        }
    }

    /**
     * The sum of one file. After {@link #opened} every field is touched on the loop only, by completions, one at
     * a time.
     */
    private final class FileSum implements AioCompletion<Slot> {
        final CompletableFuture<ByteSum> result = new CompletableFuture<>();
        private final Path path;
        private final boolean direct;
        private Arena arena;
        private int handle;
        private long nextOffset;
        private int active;
        private boolean endSeen;
        private int firstError;
        private long length;
        private long sum;

        FileSum(Path path, boolean direct) {
            this.path = path;
            this.direct = direct;
        }

        void opened(int result, Object ignored) {
            if (result < 0) {
                this.result.completeExceptionally(AioErrno.exception(result, "open " + describe()));
                return;
            }
            handle = result;
            arena = Arena.ofShared();
            // Every slot counts as active before the first read goes out: an early completion must not see
            // active == 0 and finish while the other slots are still being started.
            active = readsInFlight;
            for (int i = 0; i < readsInFlight; i++) {
                Slot slot = new Slot(arena.allocate(blockSize, direct ? DIRECT_ALIGNMENT : 1));
                startBlock(slot);
            }
        }

        private void startBlock(Slot slot) {
            if (endSeen || firstError != 0) {
                retire();
                return;
            }
            slot.offset = nextOffset;
            slot.filled = 0;
            nextOffset += blockSize;
            submit(slot);
        }

        private void submit(Slot slot) {
            try {
                // A whole block (every read but a short read's continuation) reads into the slot's own segment:
                // no slice to allocate per read.
                MemorySegment rest = slot.filled == 0 ? slot.buffer : slot.buffer.asSlice(slot.filled);
                ops.read(handle, rest, slot.offset + slot.filled, slot, this);
            } catch (IllegalStateException closed) {
                completed(-AioErrno.ECANCELED, slot);
            }
        }

        @Override
        public void completed(int read, Slot slot) {
            if (read < 0) {
                if (firstError == 0) {
                    firstError = read;
                }
                retire();
                return;
            }
            if (read == 0) {
                endSeen = true;
                count(slot);
                retire();
                return;
            }
            slot.filled += read;
            if (direct && slot.filled < blockSize && slot.filled % DIRECT_ALIGNMENT != 0) {
                // O_DIRECT transfers whole device blocks except the file's last: an unaligned count is the end of
                // the file, and reading on from there would be an unaligned read (EINVAL).
                endSeen = true;
                count(slot);
                retire();
                return;
            }
            if (slot.filled < blockSize) {
                submit(slot);
            } else {
                count(slot);
                startBlock(slot);
            }
        }

        private void count(Slot slot) {
            length += slot.filled;
            sum += ByteSum.sumOf(slot.buffer, slot.filled);
        }

        private void retire() {
            if (--active > 0) {
                return;
            }
            arena.close();
            closeQuietly(handle, () -> {
                if (firstError != 0) {
                    result.completeExceptionally(AioErrno.exception(firstError, "read " + describe()));
                } else {
                    result.complete(new ByteSum(length, sum));
                }
            });
        }

        private String describe() {
            return direct ? path + " (O_DIRECT)" : path.toString();
        }
    }

    /** The sum of one stream: one read at a time, on the loop after the first. */
    private final class StreamSum implements AioCompletion<Object> {
        final CompletableFuture<ByteSum> result = new CompletableFuture<>();
        private final int handle;
        private final boolean closeAtEnd;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment buffer = arena.allocate(blockSize);
        private long length;
        private long sum;

        StreamSum(int handle, boolean closeAtEnd) {
            this.handle = handle;
            this.closeAtEnd = closeAtEnd;
        }

        /** From the caller's thread: misuse and closed operations throw, as documented. */
        void start() {
            try {
                ops.read(handle, buffer, AioOperations.STREAM, null, this);
            } catch (RuntimeException misuse) {
                arena.close();
                throw misuse;
            }
        }

        /** From a completion: operations closed meanwhile fail the sum instead of throwing into the loop. */
        void startFromCompletion() {
            try {
                ops.read(handle, buffer, AioOperations.STREAM, null, this);
            } catch (IllegalStateException closed) {
                finish(-AioErrno.ECANCELED);
            }
        }

        @Override
        public void completed(int read, Object ignored) {
            if (read > 0) {
                length += read;
                sum += ByteSum.sumOf(buffer, read);
                try {
                    ops.read(handle, buffer, AioOperations.STREAM, null, this);
                } catch (IllegalStateException closed) {
                    finish(-AioErrno.ECANCELED);
                }
                return;
            }
            finish(read);
        }

        private void finish(int read) {
            arena.close();
            Runnable complete = () -> {
                if (read < 0) {
                    result.completeExceptionally(AioErrno.exception(read, "read from stream handle " + handle));
                } else {
                    result.complete(new ByteSum(length, sum));
                }
            };
            if (closeAtEnd) {
                closeQuietly(handle, complete);
            } else {
                complete.run();
            }
        }
    }
}
