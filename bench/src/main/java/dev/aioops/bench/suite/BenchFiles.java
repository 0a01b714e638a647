package dev.aioops.bench.suite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/** The data files of the file workloads: random content, written once, then read once into the page cache. */
final class BenchFiles {

    private BenchFiles() {
    }

    /** Returns {@code dir/name}, created with {@code size} random bytes unless it already has that size. */
    static Path file(Path dir, String name, long size) throws IOException {
        Path file = dir.resolve(name);
        if (Files.exists(file) && Files.size(file) == size) {
            return file;
        }
        SplittableRandom random = new SplittableRandom(size);
        ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            for (long written = 0; written < size; ) {
                block.clear();
                while (block.remaining() >= 8) {
                    block.putLong(random.nextLong());
                }
                block.flip().limit((int) Math.min(block.limit(), size - written));
                written += ch.write(block);
            }
        }
        return file;
    }

    /** Reads the whole file once so that the cached workloads find it in the page cache. */
    static void warm(Path file) throws IOException {
        ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file)) {
            while (ch.read(block) > 0) {
                block.clear();
            }
        }
    }

    /** 4 KiB-aligned random offsets within {@code size}, from a fixed seed, for the random-read workloads. */
    static long[] randomOffsets(long size, int count) {
        SplittableRandom random = new SplittableRandom(7);
        long blocks = size / 4096;
        long[] offsets = new long[count];
        for (int i = 0; i < count; i++) {
            offsets[i] = random.nextLong(blocks) * 4096;
        }
        return offsets;
    }
}
