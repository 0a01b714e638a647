package dev.aioops.uring.internal;

/**
 * The opcodes of the running kernel, probed once with a small ring of this process, for hosts that submit to a
 * ring of their own ({@link dev.aioops.uring.ring.RingOpcodes}). Thread-safe.
 */
public final class KernelOpcodes {

    private KernelOpcodes() {
    }

    private static final class Probed {
        static final OpcodeSupport KERNEL = probe();

        private static OpcodeSupport probe() {
            try (Ring ring = Ring.setup(2, 4, new int[] {0}, 0)) {
                return OpcodeSupport.probe(ring);
            } catch (RuntimeException e) {
                return OpcodeSupport.none();
            }
        }
    }

    /**
     * Whether the kernel has an opcode.
     *
     * @param opcode an {@code IORING_OP_*} value
     * @return whether it has; false when no ring could be set up to ask
     */
    public static boolean has(int opcode) {
        return Probed.KERNEL.has(opcode);
    }
}
