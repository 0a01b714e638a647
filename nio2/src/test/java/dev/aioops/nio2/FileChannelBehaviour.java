package dev.aioops.nio2;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousFileChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static java.nio.file.StandardOpenOption.CREATE;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.DELETE_ON_CLOSE;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the {@code java.nio.channels} javadoc specifies for {@link AsynchronousFileChannel}, on real files. One
 * subclass per implementation, as {@link SocketChannelBehaviour}.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FileChannelBehaviour {

    @TempDir
    Path dir;
    ChannelsUnderTest impl;

    /** The implementation under test, once per class; the subclass skips the class when it is unavailable. */
    abstract ChannelsUnderTest.Backend backend();

    private ChannelsUnderTest.Backend backend;

    @BeforeAll
    void openBackend() {
        backend = backend();
    }

    @AfterAll
    void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        impl = backend.session();
    }

    @AfterEach
    void tearDown() throws Exception {
        impl.close();
    }

    private AsynchronousFileChannel open(Path file, OpenOption... options) throws Exception {
        return impl.openFile(file, Set.of(options));
    }

    @Test
    void positionalWritesAndReadsOfHeapAndDirectBuffersInBothForms() throws Exception {
        Path file = dir.resolve("data");
        try (AsynchronousFileChannel ch = open(file, CREATE, WRITE, READ)) {
            Outcome<Integer> wrote = new Outcome<>(impl);
            ByteBuffer heap = ByteBuffer.wrap("hello".getBytes());
            ch.write(heap, 0, "w", wrote);
            assertThat(wrote.value()).isEqualTo(5);
            assertThat(wrote.ranOnHandlerThread()).isTrue();
            assertThat(heap.hasRemaining()).isFalse();
            ByteBuffer direct = ByteBuffer.allocateDirect(6).put(" world".getBytes()).flip();
            assertThat(ch.write(direct, 5).get(10, TimeUnit.SECONDS)).isEqualTo(6);
            ByteBuffer in = ByteBuffer.allocate(32);
            Outcome<Integer> read = new Outcome<>(impl);
            ch.read(in, 0, "r", read);
            assertThat(read.value()).isEqualTo(11);
            assertThat(read.ranOnHandlerThread()).isTrue();
            assertThat(new String(in.array(), 0, in.position())).isEqualTo("hello world");
            ByteBuffer part = ByteBuffer.allocateDirect(5);
            assertThat(ch.read(part, 6).get(10, TimeUnit.SECONDS)).isEqualTo(5);
            assertThat(part.position()).isEqualTo(5);
            assertThat(ch.read(ByteBuffer.allocate(4), 11).get(10, TimeUnit.SECONDS)).isEqualTo(-1);
            assertThat(ch.read(ByteBuffer.allocate(0), 0).get(10, TimeUnit.SECONDS)).isEqualTo(0);
        }
        assertThat(Files.readString(file)).isEqualTo("hello world");
    }

    @Test
    void manyReadsInFlightReturnTheFilesBytes() throws Exception {
        Path file = dir.resolve("random");
        byte[] data = new byte[1 << 20];
        new Random(3).nextBytes(data);
        Files.write(file, data);
        try (AsynchronousFileChannel ch = open(file, READ)) {
            assertThat(ch.size()).isEqualTo(data.length);
            List<Future<Integer>> reads = new ArrayList<>();
            List<ByteBuffer> buffers = new ArrayList<>();
            int block = 32 * 1024;
            for (int off = 0; off < data.length; off += block) {
                ByteBuffer b = (off / block) % 2 == 0 ? ByteBuffer.allocateDirect(block) : ByteBuffer.allocate(block);
                buffers.add(b);
                reads.add(ch.read(b, off));
            }
            for (int i = 0; i < reads.size(); i++) {
                assertThat(reads.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(block);
                byte[] got = new byte[block];
                buffers.get(i).flip().get(got);
                assertThat(got).isEqualTo(java.util.Arrays.copyOfRange(data, i * block, (i + 1) * block));
            }
        }
    }

    @Test
    void aHeapBufferLargerThanABlockMovesWholeInOneOperation() throws Exception {
        Path file = dir.resolve("large");
        byte[] data = new byte[3 << 20];
        new Random(5).nextBytes(data);
        try (AsynchronousFileChannel ch = open(file, CREATE, WRITE, READ)) {
            assertThat(ch.write(ByteBuffer.wrap(data), 0).get(10, TimeUnit.SECONDS)).isEqualTo(data.length);
            ByteBuffer in = ByteBuffer.allocate(data.length);
            assertThat(ch.read(in, 0).get(10, TimeUnit.SECONDS)).isEqualTo(data.length);
            assertThat(in.array()).isEqualTo(data);
        }
    }

    @Test
    void sizeTruncateAndForce() throws Exception {
        Path file = dir.resolve("sized");
        try (AsynchronousFileChannel ch = open(file, CREATE, WRITE)) {
            assertThat(ch.size()).isZero();
            ch.write(ByteBuffer.wrap(new byte[100]), 0).get(10, TimeUnit.SECONDS);
            assertThat(ch.size()).isEqualTo(100);
            ch.truncate(200);
            assertThat(ch.size()).as("truncate never extends").isEqualTo(100);
            ch.truncate(40);
            assertThat(ch.size()).isEqualTo(40);
            ch.force(true);
            ch.force(false);
            assertThatThrownBy(() -> ch.truncate(-1)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Files.size(file)).isEqualTo(40);
    }

    @Test
    void aChannelRefusesWhatItWasNotOpenedFor() throws Exception {
        Path file = dir.resolve("ro");
        Files.write(file, new byte[10]);
        try (AsynchronousFileChannel ro = open(file, READ)) {
            assertThatThrownBy(() -> ro.write(ByteBuffer.allocate(1), 0))
                    .isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> ro.truncate(0)).isInstanceOf(NonWritableChannelException.class);
            assertThatThrownBy(() -> ro.read(ByteBuffer.allocate(1), -1)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> ro.read(ByteBuffer.allocate(1).asReadOnlyBuffer(), 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        try (AsynchronousFileChannel wo = open(file, WRITE)) {
            assertThatThrownBy(() -> wo.read(ByteBuffer.allocate(1), 0))
                    .isInstanceOf(NonReadableChannelException.class);
        }
    }

    @Test
    void operationsOnAClosedChannelFailWithClosedChannelException() throws Exception {
        Path file = dir.resolve("closed");
        Files.write(file, new byte[10]);
        AsynchronousFileChannel ch = open(file, READ);
        ch.close();
        assertThat(ch.isOpen()).isFalse();
        Outcome<Integer> read = new Outcome<>(impl);
        ch.read(ByteBuffer.allocate(4), 0, null, read);
        assertThat(read.failure()).isInstanceOf(ClosedChannelException.class);
        assertThat(read.ranOnHandlerThread()).isTrue();
        assertThatThrownBy(ch::size).isInstanceOf(ClosedChannelException.class);
    }

    @Test
    void openFailsAsTheJdksOpenDoes() throws Exception {
        assertThatThrownBy(() -> open(dir.resolve("missing"), READ)).isInstanceOf(NoSuchFileException.class);
        Path existing = Files.createFile(dir.resolve("existing"));
        assertThatThrownBy(() -> open(existing, CREATE_NEW, WRITE)).isInstanceOf(FileAlreadyExistsException.class);
        assertThatThrownBy(() -> open(existing, java.nio.file.StandardOpenOption.APPEND))
                .isInstanceOf(UnsupportedOperationException.class);
        Path temp = dir.resolve("temp");
        try (AsynchronousFileChannel ch = open(temp, CREATE_NEW, WRITE, READ, DELETE_ON_CLOSE)) {
            ch.write(ByteBuffer.wrap(new byte[]{1}), 0).get(10, TimeUnit.SECONDS);
            // As the JDK on Linux: the name is removed right after the open; the channel keeps the file.
            assertThat(Files.exists(temp)).isFalse();
            assertThat(ch.read(ByteBuffer.allocate(4), 0).get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(Files.exists(temp)).as("DELETE_ON_CLOSE").isFalse();
    }

    @Test
    void fileLocksAreTheJdksOrRefusedClearly() throws Exception {
        Path file = dir.resolve("locked");
        try (AsynchronousFileChannel ch = open(file, CREATE, WRITE, READ)) {
            if (impl.supportsLocks()) {
                var lock = ch.lock().get(10, TimeUnit.SECONDS);
                assertThat(lock.isValid()).isTrue();
                lock.release();
            } else {
                assertThatThrownBy(ch::lock).isInstanceOf(UnsupportedOperationException.class)
                        .hasMessageContaining("FileChannel");
                assertThatThrownBy(ch::tryLock).isInstanceOf(UnsupportedOperationException.class);
            }
        }
    }
}
