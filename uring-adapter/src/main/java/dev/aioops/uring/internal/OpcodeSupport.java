package dev.aioops.uring.internal;

import dev.aioops.uring.ring.UringLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The io_uring opcodes the running kernel supports, as {@code IORING_REGISTER_PROBE} reports them, asked once per
 * ring at start. Every operation looks here before it encodes an SQE: an opcode the kernel lacks makes the operation
 * complete with {@code -EOPNOTSUPP} (or take a documented fallback) instead of reaching the kernel as an entry it
 * would refuse with {@code -EINVAL}.
 *
 * <p>Read by the loop thread; changed only by the test hook {@link #remove}, before the submissions it affects.
 */
final class OpcodeSupport {

    /** Room for every opcode a {@code u8} can name; the kernel fills {@code min(256, IORING_OP_LAST)} entries. */
    static final int MAX_OPS = 256;

    /** Indexed by opcode. */
    private final boolean[] supported;

    private OpcodeSupport(boolean[] supported) {
        this.supported = supported;
    }

    /**
     * A probed set less some opcodes, as if the kernel lacked them: the test hook for the {@code -EOPNOTSUPP} paths.
     *
     * @param probed the kernel's set
     * @param masked opcodes to treat as missing
     */
    OpcodeSupport(OpcodeSupport probed, int... masked) {
        this(probed.supported.clone());
        for (int opcode : masked) {
            supported[opcode] = false;
        }
    }

    /**
     * Asks the kernel which opcodes it supports: {@code struct io_uring_probe} (16 bytes: {@code last_op},
     * {@code ops_len}, reserved) followed by {@code ops_len} {@code struct io_uring_probe_op} of 8 bytes
     * ({@code op}, reserved, {@code flags}, reserved), each supported when its flags carry
     * {@code IO_URING_OP_SUPPORTED}. The kernel refuses a probe whose memory is not zeroed.
     *
     * @param ring a ring of this process
     * @return the set; empty if the kernel refuses the probe itself (before Linux 5.6)
     */
    static OpcodeSupport probe(Ring ring) {
        boolean[] supported = new boolean[MAX_OPS];
        try (Arena a = Arena.ofConfined()) {
            MemorySegment probe = a.allocate(UringLayout.PROBE_SIZE + MAX_OPS * UringLayout.PROBE_OP_SIZE, 8);
            if (ring.register(UringLayout.REGISTER_PROBE, probe, MAX_OPS) < 0) {
                return new OpcodeSupport(supported);
            }
            int len = Math.min(Byte.toUnsignedInt(probe.get(JAVA_BYTE, UringLayout.PROBE_OPS_LEN)), MAX_OPS);
            for (int i = 0; i < len; i++) {
                long op = UringLayout.PROBE_SIZE + i * UringLayout.PROBE_OP_SIZE;
                int code = Byte.toUnsignedInt(probe.get(JAVA_BYTE, op + UringLayout.PROBE_OP_OP));
                int flags = probe.get(JAVA_SHORT, op + UringLayout.PROBE_OP_FLAGS);
                supported[code] = (flags & UringLayout.IO_URING_OP_SUPPORTED) != 0;
            }
        }
        return new OpcodeSupport(supported);
    }

    /** The set that has no opcode: what a process that cannot set up a ring can count on. */
    static OpcodeSupport none() {
        return new OpcodeSupport(new boolean[MAX_OPS]);
    }

    /**
     * Whether the kernel has an opcode.
     *
     * @param opcode an {@code IORING_OP_*} value
     * @return whether the kernel has it
     */
    boolean has(int opcode) {
        return supported[opcode];
    }

    /**
     * Whether the kernel has every one of some opcodes.
     *
     * @param opcodes {@code IORING_OP_*} values
     * @return whether it has them all
     */
    boolean hasAll(int... opcodes) {
        for (int opcode : opcodes) {
            if (!supported[opcode]) {
                return false;
            }
        }
        return true;
    }

    /** For tests: behaves as if the kernel lacked {@code opcode} from now on. */
    void remove(int opcode) {
        supported[opcode] = false;
    }

    /** For tests: the set, indexed by opcode. */
    boolean[] toArray() {
        return supported.clone();
    }
}
