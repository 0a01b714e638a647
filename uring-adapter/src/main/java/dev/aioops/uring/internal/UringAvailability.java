package dev.aioops.uring.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether io_uring works in this process, and if not, why in words a user can act on. The real check sets up a
 * tiny ring once per JVM and asks the kernel for the opcodes this adapter needs.
 */
public final class UringAvailability {

    /** Simulated failure for tests: {@code -Daioops.uring.simulateUnavailable=EPERM|ENOSYS|ENOMEM|NATIVE_ACCESS}. */
    public static final String SIMULATE_PROPERTY = "aioops.uring.simulateUnavailable";

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
            case "NATIVE_ACCESS" -> new IllegalCallerException(LibC.NATIVE_ACCESS_HINT
                    + " (simulated by -D" + SIMULATE_PROPERTY + ")");
            default -> explain(AioErrno.EINVAL);
        };
    }

    private static Throwable check() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return new UnsupportedOperationException("io_uring exists only on Linux, and this is "
                    + System.getProperty("os.name"));
        }
        try (Ring ring = Ring.setup(4, 8, new int[]{0}, 0)) {
            boolean[] ops = ring.probe();
            for (int op : UringLayout.OPS_REQUIRED) {
                if (!ops[op]) {
                    return new AioException(AioErrno.EOPNOTSUPP, "io_uring is not available: the kernel lacks "
                            + "opcode " + op + " that this adapter needs (Linux 5.6 or newer is required)");
                }
            }
            return null;
        } catch (UringException e) {
            return explain(e.errno());
        } catch (IllegalCallerException e) {
            return e;
        } catch (ExceptionInInitializerError | UnsatisfiedLinkError e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            return c instanceof IllegalCallerException ? c : new IllegalStateException("io_uring is not available: "
                    + "the C library cannot be called (" + c + "); " + LibC.NATIVE_ACCESS_HINT, c);
        } catch (RuntimeException e) {
            return new IllegalStateException("io_uring is not available: " + e, e);
        }
    }

    /**
     * Words for a setup failure.
     *
     * @param errno the errno of {@code io_uring_setup}
     * @return an exception whose message says why and what to do
     */
    public static AioException explain(int errno) {
        String why = switch (errno) {
            case AioErrno.EPERM -> permissionReason();
            case AioErrno.ENOSYS -> "the kernel has no io_uring (older than Linux 5.1, built without "
                    + "CONFIG_IO_URING, or a seccomp filter that answers ENOSYS)";
            case AioErrno.ENOMEM -> "the kernel could not lock the ring memory: on kernels before 5.12 it counts "
                    + "against RLIMIT_MEMLOCK, which is too low here (raise `ulimit -l`, or LimitMEMLOCK in "
                    + "systemd, or --ulimit memlock with Docker)";
            case AioErrno.EINVAL -> "the kernel rejected the ring parameters (a kernel too old for this adapter)";
            default -> "io_uring_setup failed";
        };
        return new AioException(errno, "io_uring is not available: " + why + "; use another adapter, e.g. "
                + "-Daioops.adapter=epoll");
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
