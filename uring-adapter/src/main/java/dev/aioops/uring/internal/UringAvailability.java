package dev.aioops.uring.internal;

import dev.aioops.linux.internal.ArchOpenFlags;
import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.uring.ring.UringLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Whether io_uring works in this process, and if not, why in words a user can act on. The real check, once per JVM:
 * Linux, an architecture whose open flags are known ({@link ArchOpenFlags}), a kernel new enough
 * ({@link KernelRequirement}), and the ring of the default configuration set up, closed again, and asked for the
 * opcodes this adapter needs.
 */
public final class UringAvailability {

    /** Simulated failure for tests: {@code -Daioops.uring.simulateUnavailable=EPERM|ENOSYS|ENOMEM|NATIVE_ACCESS}. */
    public static final String SIMULATE_PROPERTY = "aioops.uring.simulateUnavailable";

    /**
     * Simulated ring setup failure for tests, read on every setup (the probe's too):
     * {@code -Daioops.uring.simulateSetupFailure=ENOMEM} fails every ring, {@code ENOMEM:8192} rings of at least
     * 8192 CQ entries, as a memory limit that admits the probe's ring and not a larger one.
     */
    public static final String SIMULATE_SETUP_PROPERTY = SimulatedSetupFailure.PROPERTY;

    /** The result of the check: null when available. */
    private static final class Once {
        static final Throwable CAUSE = check();
    }

    private UringAvailability() {
    }

    /**
     * The cause of unavailability, computed once per JVM (the simulation property is read on every call).
     *
     * @return null when io_uring works here
     */
    public static Throwable cause() {
        String simulated = System.getProperty(SIMULATE_PROPERTY);
        if (simulated != null && !simulated.isBlank()) {
            return simulate(simulated.trim().toUpperCase(Locale.ROOT));
        }
        return Once.CAUSE;
    }

    private static Throwable simulate(String what) {
        return switch (what) {
            case "EPERM" -> explain(AioErrno.EPERM);
            case "ENOSYS" -> explain(AioErrno.ENOSYS);
            case "ENOMEM" -> explain(AioErrno.ENOMEM);
            case "NATIVE_ACCESS" -> new IllegalCallerException(Downcalls.NATIVE_ACCESS_HINT
                    + " (simulated by -D" + SIMULATE_PROPERTY + ")");
            default -> explain(AioErrno.EINVAL);
        };
    }

    private static Throwable check() {
        return check(System.getProperty("os.name", ""), System.getProperty("os.arch"),
                System.getProperty("os.version"), () -> probe(RingSpec.of(AioConfig.defaults())));
    }

    /**
     * The check, from the JDK's {@code os.*} properties and a ring probe run only when they pass.
     *
     * @param osName    {@code os.name}
     * @param osArch    {@code os.arch}
     * @param osVersion {@code os.version}, the kernel release
     * @param probe     sets up a ring; null when it works, else the cause
     * @return null when io_uring can be used, else the cause
     */
    static Throwable check(String osName, String osArch, String osVersion, Supplier<Throwable> probe) {
        if (!osName.toLowerCase(Locale.ROOT).contains("linux")) {
            return new UnsupportedOperationException("io_uring exists only on Linux, and this is " + osName);
        }
        UnsupportedOperationException arch = ArchOpenFlags.unsupported(osArch);
        if (arch != null) {
            return new UnsupportedOperationException("io_uring is not available: " + arch.getMessage()
                    + "; use another adapter, e.g. -Daioops.adapter=epoll", arch);
        }
        Throwable kernel = KernelRequirement.check(osVersion);
        if (kernel != null) {
            return kernel;
        }
        return probe.get();
    }

    /**
     * Sets up the ring an instance would, closes it at once, and asks the kernel for the opcodes this adapter needs.
     * A ring of the default size, not a token one: a memory limit (RLIMIT_MEMLOCK before Linux 5.12, a memory
     * cgroup) that admits a tiny ring but not the real one must make io_uring unavailable, not fail {@code open}.
     *
     * @param spec the ring to try
     * @return null when it can be set up and the opcodes are there, else the cause
     */
    static Throwable probe(RingSpec spec) {
        try (Ring ring = spec.setup()) {
            OpcodeSupport kernel = OpcodeSupport.probe(ring);
            for (int op : UringLayout.OPS_REQUIRED) {
                if (!kernel.has(op)) {
                    return new AioException(AioErrno.EOPNOTSUPP, "io_uring is not available: the kernel lacks "
                            + "opcode " + op + " that this adapter needs (Linux " + KernelRequirement.MIN_MAJOR + "."
                            + KernelRequirement.MIN_MINOR + " or newer is required)");
                }
            }
            return null;
        } catch (UringException e) {
            return explain(e.errno(), spec);
        } catch (IllegalCallerException e) {
            return e;
        } catch (ExceptionInInitializerError | UnsatisfiedLinkError e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return c instanceof IllegalCallerException ? c : new IllegalStateException("io_uring is not available: "
                    + "the C library cannot be called (" + c + "); " + Downcalls.NATIVE_ACCESS_HINT, c);
        } catch (RuntimeException e) {
            return new IllegalStateException("io_uring is not available: " + e, e);
        }
    }

    /**
     * Words for an instance whose ring the kernel refused although the probe passed, for
     * {@code UringAioProvider.open}.
     *
     * @param failure the failed setup call
     * @param spec    the ring that was asked for
     * @return an exception whose message names the call, the ring, the cause and what to do
     */
    public static AioException explainOpen(UringException failure, RingSpec spec) {
        return new AioException(failure.errno(), "io_uring could not be opened: " + failure.getMessage()
                + " for " + spec + "; " + reason(failure.errno()) + "; lower queueDepth, or use another adapter, "
                + "e.g. -Daioops.adapter=epoll");
    }

    private static AioException explain(int errno, RingSpec spec) {
        return new AioException(errno, "io_uring is not available: setting up " + spec + " failed: "
                + reason(errno) + "; use another adapter, e.g. -Daioops.adapter=epoll");
    }

    /**
     * Words for a setup failure.
     *
     * @param errno the errno of {@code io_uring_setup}
     * @return an exception whose message says why and what to do
     */
    public static AioException explain(int errno) {
        return new AioException(errno, "io_uring is not available: " + reason(errno) + "; use another adapter, "
                + "e.g. -Daioops.adapter=epoll");
    }

    private static String reason(int errno) {
        return switch (errno) {
            case AioErrno.EPERM -> permissionReason();
            case AioErrno.ENOSYS -> "the kernel has no io_uring (older than Linux 5.1, built without "
                    + "CONFIG_IO_URING, or a seccomp filter that answers ENOSYS)";
            case AioErrno.ENOMEM -> "the kernel could not allocate or lock the ring memory: for a process without "
                    + "CAP_IPC_LOCK it counts against RLIMIT_MEMLOCK (before Linux 5.12, and again on recent "
                    + "kernels), which is too low here (raise `ulimit -l`, or LimitMEMLOCK in systemd, or --ulimit "
                    + "memlock with Docker), or memory is short";
            case AioErrno.EMFILE, AioErrno.ENFILE -> "no file descriptor is left for the ring (raise `ulimit -n`)";
            case AioErrno.EINVAL -> "the kernel rejected the ring parameters (a kernel too old for this adapter)";
            default -> "io_uring_setup failed";
        };
    }

    /**
     * Words for a buffer pool the kernel would not register ({@code IORING_REGISTER_BUFFERS}): the adapter then
     * uses the non-fixed opcodes for it, and says so at INFO with this message.
     *
     * @param errno     the errno of the registration
     * @param poolBytes the size of the pool
     * @return the message
     */
    public static String unregisteredBuffers(int errno, long poolBytes) {
        String why = switch (errno) {
            case AioErrno.ENOMEM -> "the pool needs more locked memory than RLIMIT_MEMLOCK allows (raise `ulimit -l`, "
                    + "LimitMEMLOCK in systemd or --ulimit memlock with Docker; a process with CAP_IPC_LOCK has no "
                    + "limit), or memory is short";
            case AioErrno.EFAULT -> "the kernel cannot pin the pool's memory";
            case AioErrno.EOPNOTSUPP, AioErrno.EINVAL -> "the kernel does not support registering this pool";
            case AioErrno.EPERM -> "a seccomp filter or io_uring_disabled forbids io_uring_register";
            default -> "the kernel refused";
        };
        return "io_uring: the buffer pool (" + poolBytes + " bytes) could not be registered ("
                + AioErrno.name(errno) + ": " + why + "); pool buffers use the non-fixed READ/WRITE opcodes instead "
                + "of READ_FIXED/WRITE_FIXED";
    }

    private static String permissionReason() {
        String disabled = "";
        try {
            disabled = Files.readString(Path.of("/proc/sys/kernel/io_uring_disabled")).trim();
        } catch (IOException | RuntimeException ignored) {
            // not readable: older kernel or restricted /proc
        }
        return switch (disabled) {
            case "2" -> "io_uring is disabled for every process by the sysctl kernel.io_uring_disabled=2";
            case "1" -> "the sysctl kernel.io_uring_disabled=1 allows io_uring only to members of the group "
                    + "kernel.io_uring_group (or CAP_SYS_ADMIN), and this process is not one";
            default -> "a seccomp filter forbids the io_uring system calls (Docker's and Kubernetes' default "
                    + "seccomp profiles do: allow io_uring_setup, io_uring_enter and io_uring_register in the "
                    + "profile, or run without it)";
        };
    }
}
