package dev.aioops.uring.internal;

import dev.aioops.linux.internal.OpenFlags;
import dev.aioops.spi.AioErrno;
import dev.aioops.uring.ring.LibC;
import dev.aioops.uring.ring.SqeEncoder;
import dev.aioops.uring.ring.UringLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks {@link UringLayout} against the running kernel: the probe lists every opcode the adapter submits, the
 * kernel reads and writes the {@code io_uring_params} fields where the layout says, and every SQE field the
 * encoder writes has its effect in a real operation (a wrong offset would give a wrong result or EINVAL/EFAULT).
 */
@Timeout(60)
class UringLayoutTest {

    private Arena arena;
    private Ring ring;

    @BeforeEach
    void setUp() {
        arena = Arena.ofConfined();
        ring = Ring.setup(8, 16, new int[]{0}, 0);
    }

    @AfterEach
    void tearDown() {
        ring.close();
        arena.close();
    }

    @Test
    void probeListsEveryOpcodeTheAdapterSubmits() {
        OpcodeSupport supported = OpcodeSupport.probe(ring);
        for (int op : UringLayout.OPS_USED) {
            assertThat(supported.has(op)).as("opcode %d supported", op).isTrue();
        }
    }

    @Test
    void paramsFieldsSitWhereTheLayoutSays() {
        MemorySegment errno = LibC.newErrnoState(arena);
        MemorySegment params = arena.allocate(UringLayout.PARAMS_SIZE, 8);
        params.set(JAVA_INT, UringLayout.PARAMS_FLAGS, UringLayout.SETUP_CQSIZE);
        params.set(JAVA_INT, UringLayout.PARAMS_CQ_ENTRIES, 64);
        int fd = UringSyscalls.ioUringSetup(errno, 4, params);
        assertThat(fd).isPositive();
        LibC.close(fd);
        assertThat(params.get(JAVA_INT, UringLayout.PARAMS_SQ_ENTRIES)).isEqualTo(4);
        assertThat(params.get(JAVA_INT, UringLayout.PARAMS_CQ_ENTRIES)).isEqualTo(64);
        int features = params.get(JAVA_INT, UringLayout.PARAMS_FEATURES);
        assertThat(features & UringLayout.FEAT_SINGLE_MMAP).isNotZero();
        assertThat(features & UringLayout.FEAT_NODROP).isNotZero();
        assertThat(features & UringLayout.FEAT_EXT_ARG).isNotZero();
        // The kernel reports where ring_entries live; at that offset in the mapped rings we find the sizes.
        assertThat(params.get(JAVA_INT, UringLayout.PARAMS_SQ_OFF + UringLayout.SQOFF_RING_ENTRIES)).isPositive();
        assertThat(params.get(JAVA_INT, UringLayout.PARAMS_CQ_OFF + UringLayout.CQOFF_CQES)).isPositive();

        // resv[] must be zero: a non-zero word there is refused, which locates PARAMS_RESV.
        params.fill((byte) 0);
        params.set(JAVA_INT, UringLayout.PARAMS_RESV, 1);
        assertThat(UringSyscalls.ioUringSetup(errno, 4, params)).isEqualTo(-AioErrno.EINVAL);
    }

    @Test
    void ringSizesAreThoseAskedFor() {
        assertThat(ring.sqEntries()).isEqualTo(8);
        assertThat(ring.cqEntries()).isEqualTo(16);
    }

    @Test
    void nopEchoesItsUserData() {
        long at = ring.nextSqe();
        SqeEncoder.nop(ring.sqes(), at, 0x1234_5678_9abc_def0L);
        assertThat(ring.submit(1, true, MemorySegment.NULL)).isEqualTo(1);
        assertThat(ring.cqReady()).isEqualTo(1);
        assertThat(ring.cqeUserData(0)).isEqualTo(0x1234_5678_9abc_def0L);
        assertThat(ring.cqeRes(0)).isZero();
        ring.cqAdvance(1);
        assertThat(ring.cqReady()).isZero();
    }

    @Test
    void readUsesFdAddressLengthAndOffset(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("layout");
        Files.write(file, new byte[]{10, 11, 12, 13, 14, 15, 16, 17, 18, 19});
        int fd = openRead(file);
        MemorySegment buffer = arena.allocate(16);
        SqeEncoder.read(ring.sqes(), ring.nextSqe(), fd, buffer.address(), 4, 3, -1, 7);
        assertThat(completeOne(7)).isEqualTo(4);
        assertThat(buffer.get(JAVA_BYTE, 0)).isEqualTo((byte) 13);
        assertThat(buffer.get(JAVA_BYTE, 3)).isEqualTo((byte) 16);
        assertThat(buffer.get(JAVA_BYTE, 4)).isZero();
        LibC.close(fd);
    }

    @Test
    void writeFixedUsesTheBufferIndex(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("fixed");
        Files.write(file, new byte[8]);
        int fd = openWrite(file);
        MemorySegment slab = arena.allocate(4096, 4096);
        MemorySegment iov = arena.allocate(16, 8);
        iov.set(JAVA_LONG, 0, slab.address());
        iov.set(JAVA_LONG, 8, slab.byteSize());
        assertThat(ring.register(UringLayout.REGISTER_BUFFERS, iov, 1)).isZero();
        slab.set(JAVA_BYTE, 100, (byte) 42);
        SqeEncoder.write(ring.sqes(), ring.nextSqe(), fd, slab.address() + 100, 1, 5, 0, 9);
        assertThat(completeOne(9)).isEqualTo(1);
        // A buffer index that names no registered buffer is refused: the index field is read.
        SqeEncoder.write(ring.sqes(), ring.nextSqe(), fd, slab.address() + 100, 1, 5, 1, 10);
        assertThat(completeOne(10)).isEqualTo(-AioErrno.EFAULT);
        LibC.close(fd);
        assertThat(Files.readAllBytes(file)[5]).isEqualTo((byte) 42);
    }

    @Test
    void timeoutReadsItsTimespec() {
        MemorySegment ts = arena.allocate(UringLayout.TIMESPEC_SIZE, 8);
        ts.set(JAVA_LONG, 0, 0);
        ts.set(JAVA_LONG, 8, 20_000_000);
        long start = System.nanoTime();
        SqeEncoder.timeout(ring.sqes(), ring.nextSqe(), ts.address(), 0, 11);
        assertThat(completeOne(11)).isEqualTo(-AioErrno.ETIME);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(15_000_000);
    }

    @Test
    void cancelFindsItsTargetByUserData() {
        MemorySegment ts = arena.allocate(UringLayout.TIMESPEC_SIZE, 8);
        ts.set(JAVA_LONG, 0, 60);
        SqeEncoder.timeout(ring.sqes(), ring.nextSqe(), ts.address(), 0, 21);
        SqeEncoder.cancel(ring.sqes(), ring.nextSqe(), 21, 22);
        ring.submit(2, true, MemorySegment.NULL);
        int cancelled = 0;
        int found = 0;
        while (cancelled + found < 2) {
            if (ring.cqReady() == 0) {
                ring.submit(1, true, MemorySegment.NULL);
                continue;
            }
            if (ring.cqeUserData(0) == 21) {
                assertThat(ring.cqeRes(0)).isEqualTo(-AioErrno.ECANCELED);
                cancelled++;
            } else {
                assertThat(ring.cqeUserData(0)).isEqualTo(22);
                assertThat(ring.cqeRes(0)).isZero();
                found++;
            }
            ring.cqAdvance(1);
        }
    }

    private int completeOne(long userData) {
        ring.submit(1, true, MemorySegment.NULL);
        while (ring.cqReady() == 0) {
            ring.submit(1, true, MemorySegment.NULL);
        }
        assertThat(ring.cqeUserData(0)).isEqualTo(userData);
        int res = ring.cqeRes(0);
        ring.cqAdvance(1);
        return res;
    }

    private int openRead(Path file) throws Exception {
        return openFd(file, OpenFlags.O_RDONLY);
    }

    private int openWrite(Path file) throws Exception {
        return openFd(file, OpenFlags.O_WRONLY);
    }

    /** Opens through the ring itself: OPENAT's fields are checked on the way. */
    private int openFd(Path file, int flags) throws Exception {
        assertThat(Files.exists(file)).isTrue();
        MemorySegment path = arena.allocateFrom(file.toAbsolutePath().toString());
        SqeEncoder.openat(ring.sqes(), ring.nextSqe(), UringLayout.AT_FDCWD, path.address(),
                flags | OpenFlags.O_CLOEXEC, 0, 3);
        int fd = completeOne(3);
        assertThat(fd).isGreaterThan(2);
        return fd;
    }

    @Test
    void separatelyMappedRingsWorkAsKernelsBefore54NeedThem() {
        try (Ring separate = Ring.setup(4, 8, new int[]{0}, 0, true)) {
            for (int round = 0; round < 20; round++) { // wraps both rings several times
                SqeEncoder.nop(separate.sqes(), separate.nextSqe(), 100 + round);
                assertThat(separate.submit(1, true, MemorySegment.NULL)).isEqualTo(1);
                assertThat(separate.cqReady()).isEqualTo(1);
                assertThat(separate.cqeUserData(0)).isEqualTo(100 + round);
                separate.cqAdvance(1);
            }
        }
    }
}
