package dev.aioops.linux.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code open(2)} flags whose values differ between Linux architectures, for one architecture. Every other
 * {@code O_*} flag aioops uses has the {@code asm-generic} value everywhere. Values are those of the kernel's
 * {@code include/uapi/asm-generic/fcntl.h} and {@code arch/ARCH/include/uapi/asm/fcntl.h}: x86, s390 and
 * riscv have no {@code fcntl.h} of their own and take the generic values; arm64 and powerpc override these four.
 *
 * @param kernelArch  the kernel's name for the architecture (its {@code arch/} directory)
 * @param oDirect     {@code O_DIRECT}
 * @param oDirectory  {@code O_DIRECTORY}
 * @param oNofollow   {@code O_NOFOLLOW}
 * @param oLargefile  {@code O_LARGEFILE}
 */
public record ArchOpenFlags(String kernelArch, int oDirect, int oDirectory, int oNofollow, int oLargefile) {

    /** {@code include/uapi/asm-generic/fcntl.h}: x86, s390, riscv. */
    public static final ArchOpenFlags GENERIC = new ArchOpenFlags("asm-generic", 040000, 0200000, 0400000, 0100000);
    /** {@code arch/arm64/include/uapi/asm/fcntl.h}. */
    public static final ArchOpenFlags ARM64 = new ArchOpenFlags("arm64", 0200000, 040000, 0100000, 0400000);
    /** {@code arch/powerpc/include/uapi/asm/fcntl.h}. */
    public static final ArchOpenFlags POWERPC = new ArchOpenFlags("powerpc", 0400000, 040000, 0100000, 0200000);

    /** The JDK's {@code os.arch} names aioops knows, as the JDK spells them on Linux. */
    static final String KNOWN = "amd64 (x86_64), aarch64, ppc64le, s390x, riscv64";

    /**
     * The table for a JDK architecture name.
     *
     * @param osArch a value of the system property {@code os.arch}
     * @return the table, or empty for an architecture aioops does not know
     */
    public static Optional<ArchOpenFlags> forArch(String osArch) {
        if (osArch == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64", "s390x", "riscv64" -> GENERIC;
            case "aarch64" -> ARM64;
            case "ppc64le" -> POWERPC;
            default -> null;
        });
    }

    /**
     * Why aioops refuses to make open calls on an architecture, or null if it knows it.
     *
     * @param osArch a value of the system property {@code os.arch}
     * @return null when known, else an exception whose message says why and what to do
     */
    public static UnsupportedOperationException unsupported(String osArch) {
        if (forArch(osArch).isPresent()) {
            return null;
        }
        return new UnsupportedOperationException("aioops does not know the open(2) flag values of the "
                + "architecture '" + osArch + "' (it knows " + KNOWN + "), and guessing them could open files with "
                + "the wrong flags");
    }

    /**
     * The table of the running JVM's architecture.
     *
     * @return the table
     * @throws UnsupportedOperationException if the architecture is not known
     */
    public static ArchOpenFlags running() {
        ArchOpenFlags flags = Running.FLAGS;
        if (flags == null) {
            throw unsupported(System.getProperty("os.arch"));
        }
        return flags;
    }

    /** Read once: {@code os.arch} does not change. */
    private static final class Running {
        static final ArchOpenFlags FLAGS = forArch(System.getProperty("os.arch")).orElse(null);
    }
}
