package dev.aioops.uring.internal;

import dev.aioops.spi.AioCompletion;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioOpenOption;
import dev.aioops.uring.ring.UringLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OpcodeSupport}: the probe of the running kernel lists every opcode the adapter submits, and an operation
 * whose opcode the kernel lacks (masked in the probed set, the kernel itself untouched) completes with
 * {@code -EOPNOTSUPP} exactly once instead of reaching the kernel.
 */
@Timeout(60)
class OpcodeSupportTest {

    private Ring ring;

    @BeforeEach
    void setUp() {
        ring = Ring.setup(8, 16, new int[]{0}, 0);
    }

    @AfterEach
    void tearDown() {
        ring.close();
    }

    @Test
    void theProbeOfThisKernelReportsEveryOpcodeTheAdapterUses() {
        OpcodeSupport kernel = OpcodeSupport.probe(ring);
        for (int op : UringLayout.OPS_USED) {
            assertThat(kernel.has(op)).as("opcode %d", op).isTrue();
        }
        for (int op : UringLayout.OPS_REQUIRED) {
            assertThat(kernel.has(op)).as("required opcode %d", op).isTrue();
        }
        int[] version = KernelRequirement.parse(System.getProperty("os.version"));
        if (version != null && atLeast(version, 5, 19)) {
            assertThat(kernel.has(UringLayout.OP_SOCKET)).as("IORING_OP_SOCKET on Linux 5.19+").isTrue();
        }
        if (version != null && atLeast(version, 6, 11)) {
            assertThat(ListenSteps.supported(kernel)).as("IORING_OP_BIND and LISTEN on Linux 6.11+").isTrue();
        }
    }

    @Test
    void opcodesBeyondTheKernelsLastAreNotSupported() {
        // A probe read at the wrong offsets would report garbage; the last u8 opcode is far beyond any kernel's.
        OpcodeSupport kernel = OpcodeSupport.probe(ring);
        assertThat(kernel.has(OpcodeSupport.MAX_OPS - 1)).isFalse();
        assertThat(kernel.has(UringLayout.OP_NOP)).isTrue();
    }

    @Test
    void aMaskRemovesOnlyTheOpcodesItNames() {
        OpcodeSupport probed = OpcodeSupport.probe(ring);
        OpcodeSupport masked = new OpcodeSupport(probed, UringLayout.OP_FSYNC, UringLayout.OP_TIMEOUT);
        assertThat(masked.has(UringLayout.OP_FSYNC)).isFalse();
        assertThat(masked.has(UringLayout.OP_TIMEOUT)).isFalse();
        assertThat(probed.has(UringLayout.OP_FSYNC)).as("the probed set is not changed").isTrue();
        boolean[] before = probed.toArray();
        boolean[] after = masked.toArray();
        for (int op = 0; op < OpcodeSupport.MAX_OPS; op++) {
            if (op != UringLayout.OP_FSYNC && op != UringLayout.OP_TIMEOUT) {
                assertThat(after[op]).as("opcode %d", op).isEqualTo(before[op]);
            }
        }
    }

    /** An operation, and the opcodes whose absence must make it complete with -EOPNOTSUPP. */
    enum Missing {
        FILE_READ(UringLayout.OP_READ),
        FILE_WRITE(UringLayout.OP_WRITE),
        POOL_BUFFER_READ(UringLayout.OP_READ, UringLayout.OP_READ_FIXED),
        FSYNC(UringLayout.OP_FSYNC),
        OPEN(UringLayout.OP_OPENAT),
        TIMEOUT(UringLayout.OP_TIMEOUT),
        ZERO_TIMEOUT(UringLayout.OP_NOP),
        ACCEPT(UringLayout.OP_ACCEPT),
        CONNECT(UringLayout.OP_CONNECT),
        SOCKET_READ(UringLayout.OP_RECV, UringLayout.OP_READ, UringLayout.OP_READ_FIXED),
        SOCKET_WRITE(UringLayout.OP_SEND, UringLayout.OP_WRITE, UringLayout.OP_WRITE_FIXED),
        SEND_FILE(UringLayout.OP_SPLICE);

        final int[] opcodes;

        Missing(int... opcodes) {
            this.opcodes = opcodes;
        }
    }

    @ParameterizedTest
    @EnumSource(Missing.class)
    void anOperationWhoseOpcodeTheKernelLacksCompletesWithNotSupportedOnce(Missing missing, @TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("data");
        Files.write(file, new byte[4096]);
        List<Integer> results = new CopyOnWriteArrayList<>();
        CountDownLatch first = new CountDownLatch(1);
        AioCompletion<Object> record = (result, attachment) -> {
            results.add(result);
            first.countDown();
        };
        Arena arena = Arena.ofShared();
        MemorySegment buffer = arena.allocate(4096);
        UringAioOperations ops = UringAioOperations.openWithout(AioConfig.builder().buffers(2, 4096).build(),
                missing.opcodes);
        try {
            switch (missing) {
                case FILE_READ -> ops.read(open(ops, file), buffer, 0, null, record);
                case FILE_WRITE -> ops.write(open(ops, file), buffer, 0, null, record);
                case POOL_BUFFER_READ -> ops.read(open(ops, file), ops.buffers().acquire(), 0, null, record);
                case FSYNC -> ops.fsync(open(ops, file), null, record);
                case OPEN -> ops.open(file, EnumSet.of(AioOpenOption.READ), null, record);
                case TIMEOUT -> ops.timeout(1_000_000L, null, record);
                case ZERO_TIMEOUT -> ops.timeout(0, null, record);
                case ACCEPT -> ops.accept(listen(ops), null, record);
                case CONNECT -> ops.connect(ops.localAddress(listen(ops)), null, record);
                case SOCKET_READ -> ops.read(connectedSocket(ops), buffer, -1, null, record);
                case SOCKET_WRITE -> ops.write(connectedSocket(ops), buffer, -1, null, record);
                case SEND_FILE -> ops.sendFile(connectedSocket(ops), open(ops, file), 0, 4096, null, record);
            }
            assertThat(first.await(30, TimeUnit.SECONDS)).as("completed").isTrue();
        } finally {
            // Close waits for every operation the kernel holds: a second completion, or a real result from an SQE
            // that reached the kernel after all, would be in the list by now.
            ops.close();
            arena.close();
        }
        assertThat(results).as("completions of the operation").containsExactly(-AioErrno.EOPNOTSUPP);
    }

    private static int open(UringAioOperations ops, Path file) {
        Results opened = new Results();
        ops.open(file, EnumSet.of(AioOpenOption.READ, AioOpenOption.WRITE), null, opened);
        int handle = opened.await();
        assertThat(handle).isPositive();
        return handle;
    }

    private static int listen(UringAioOperations ops) {
        Results listened = new Results();
        ops.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4, null, listened);
        int handle = listened.await();
        assertThat(handle).isPositive();
        return handle;
    }

    /** The client end of a loopback connection made on this ring (the opcodes of a transfer are not needed). */
    private static int connectedSocket(UringAioOperations ops) throws IOException {
        int listener = listen(ops);
        Results accepted = new Results();
        ops.accept(listener, null, accepted);
        Results connected = new Results();
        ops.connect(ops.localAddress(listener), null, connected);
        int client = connected.await();
        assertThat(client).isPositive();
        assertThat(accepted.await()).isPositive();
        return client;
    }

    private static boolean atLeast(int[] version, int major, int minor) {
        return version[0] > major || version[0] == major && version[1] >= minor;
    }
}
