package dev.aioops.uring.ring;

import dev.aioops.uring.internal.KernelOpcodes;

/**
 * Which opcodes the running kernel has ({@code IORING_REGISTER_PROBE}, asked once), so that a host submitting
 * aioops operations to a ring of its own completes one the kernel lacks with {@code -EOPNOTSUPP} instead of
 * sending a malformed entry that would fail with {@code -EINVAL}. Thread-safe.
 */
public final class RingOpcodes {

    private RingOpcodes() {
    }

    /**
     * Whether the kernel has an opcode.
     *
     * @param opcode an {@code IORING_OP_*} value of {@link UringLayout}
     * @return whether it has; false when no ring could be set up to ask
     */
    public static boolean has(int opcode) {
        return KernelOpcodes.has(opcode);
    }
}
