package dev.aioops.uring;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.uring.internal.UringAvailability;
import dev.aioops.uring.internal.UringAioOperations;
import dev.aioops.uring.internal.UringException;

import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The io_uring adapter ({@code "uring"}, priority 300): {@link AioOperations} on a Linux io_uring per instance,
 * called through {@code java.lang.foreign} with no JNI and no native library.
 *
 * <p><b>Availability.</b> {@link #isAvailable()} sets up a tiny ring once per JVM. io_uring is refused by
 * Docker's default seccomp profile ({@code EPERM}), by the sysctl {@code kernel.io_uring_disabled}, by a kernel
 * without it ({@code ENOSYS}), by a low memlock limit on kernels before 5.12 ({@code ENOMEM}), and when the JVM
 * denies native access: {@link #unavailabilityCause()} says which, and {@link dev.aioops.spi.Aio} then falls back
 * to the next adapter. The system property {@value UringAvailability#SIMULATE_PROPERTY} (EPERM, ENOSYS, ENOMEM or
 * NATIVE_ACCESS) simulates a failure, to test that fallback.
 *
 * <p>Thread-safe; constructing it does nothing.
 */
public final class UringAioProvider implements AioProvider {

    private final Supplier<Throwable> check;

    /** The provider used by {@link java.util.ServiceLoader}. */
    public UringAioProvider() {
        this(UringAvailability::cause);
    }

    /**
     * A provider whose availability check is given, for tests.
     *
     * @param check returns null when available, else the cause
     */
    UringAioProvider(Supplier<Throwable> check) {
        this.check = Objects.requireNonNull(check, "check");
    }

    @Override
    public String name() {
        return "uring";
    }

    @Override
    public int priority() {
        return 300;
    }

    @Override
    public boolean isAvailable() {
        return check.get() == null;
    }

    @Override
    public Throwable unavailabilityCause() {
        return check.get();
    }

    /**
     * Opens an instance on a new ring; its loop thread is started unless {@link AioConfig#threading()} is
     * {@link AioConfig.Threading#HOST_DRIVEN}.
     *
     * @param config the configuration
     * @return the running instance
     * @throws IllegalStateException if io_uring is not available; the cause says why
     * @throws UncheckedIOException  if the kernel refuses this ring (for example too many rings or no memory)
     */
    @Override
    public AioOperations open(AioConfig config) {
        Objects.requireNonNull(config, "config");
        Throwable cause = check.get();
        if (cause != null) {
            throw new IllegalStateException(cause.getMessage(), cause);
        }
        try {
            return UringAioOperations.open(config);
        } catch (UringException e) {
            throw new UncheckedIOException(new AioException(e.errno(), "opening an io_uring"));
        }
    }
}
