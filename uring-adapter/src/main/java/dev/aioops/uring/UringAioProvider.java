package dev.aioops.uring;

import dev.aioops.spi.AioConfig;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioGroup;
import dev.aioops.spi.AioOperations;
import dev.aioops.spi.AioProvider;
import dev.aioops.spi.internal.MemberGroup;
import dev.aioops.uring.internal.RingSpec;
import dev.aioops.uring.internal.UringAioOperations;
import dev.aioops.uring.internal.UringAvailability;
import dev.aioops.uring.internal.UringException;
import dev.aioops.uring.internal.UringGroup;

import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The io_uring adapter ({@code "uring"}, priority 300): {@link AioOperations} on a Linux io_uring per instance,
 * called through {@code java.lang.foreign} with no JNI and no native library.
 *
 * <p><b>Availability.</b> {@link #isAvailable()} checks once per JVM that this is Linux 5.13 or newer on an
 * architecture whose {@code open(2)} flags the adapter knows (x86-64, aarch64, ppc64le, s390x, riscv64), then sets
 * up and closes the ring the default configuration opens (256 SQ and 4096 CQ entries, with its setup flags).
 * io_uring is refused by Docker's default seccomp profile ({@code EPERM}), by the sysctl
 * {@code kernel.io_uring_disabled}, by a kernel without it ({@code ENOSYS}), by a low memlock limit on kernels
 * before 5.12 ({@code ENOMEM}), and when the JVM denies native access: {@link #unavailabilityCause()} says which,
 * and {@link dev.aioops.spi.Aio} then falls back to the next adapter. The system property
 * {@value UringAvailability#SIMULATE_PROPERTY} (EPERM, ENOSYS, ENOMEM or NATIVE_ACCESS) simulates a failure, to
 * test that fallback; {@code aioops.uring.simulateSetupFailure} ({@code ENOMEM}, or {@code ENOMEM:8192} for rings
 * of at least 8192 CQ entries) makes the ring setup itself fail, as a limit that the probe passes and a larger
 * ring does not.
 *
 * <p><b>Open failures.</b> A configuration may ask for more than the probe did (a larger {@code queueDepth}):
 * when the kernel refuses that ring, {@link #open} throws an {@link UncheckedIOException} naming the ring and the
 * cause, and {@link dev.aioops.spi.Aio#open()} falls back to the next adapter.
 *
 * <p>Thread-safe; constructing it does nothing.
 */
public final class UringAioProvider implements AioProvider {

    private final Supplier<Throwable> check;
    private final Function<AioConfig, AioOperations> opener;

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
        this(check, UringAioOperations::open);
    }

    /**
     * A provider whose availability check and opening are given, for tests.
     *
     * @param check  returns null when available, else the cause
     * @param opener opens an instance, throwing {@link UringException} when the kernel refuses its ring
     */
    UringAioProvider(Supplier<Throwable> check, Function<AioConfig, AioOperations> opener) {
        this.check = Objects.requireNonNull(check, "check");
        this.opener = Objects.requireNonNull(opener, "opener");
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
     * @throws UncheckedIOException  if the kernel refuses this instance's ring (too little lockable memory, too many
     *                               rings, a queueDepth beyond a limit): the message names the ring and the
     *                               cause, an {@link AioException} with the errno
     */
    @Override
    public AioOperations open(AioConfig config) {
        Objects.requireNonNull(config, "config");
        Throwable cause = check.get();
        if (cause != null) {
            throw new IllegalStateException(cause.getMessage(), cause);
        }
        try {
            return opener.apply(config);
        } catch (UringException e) {
            AioException why = UringAvailability.explainOpen(e, RingSpec.of(config));
            why.initCause(e);
            throw new UncheckedIOException(why.getMessage(), why);
        }
    }

    /**
     * Opens a group of {@code size} instances whose rings share what the kernel lets rings of one process share
     * ({@link UringGroup}): members 1..n-1 are set up with {@code IORING_SETUP_ATTACH_WQ} on member 0's ring, each
     * member caps its kernel workers at {@code max(1, maxKernelWorkers / size)} so that the configured cap holds
     * for the group (the kernel counts workers per submitting task, and each member's loop thread is one), and a
     * member's loop thread wakes another member with an {@code IORING_OP_MSG_RING} on its own ring rather than an
     * eventfd write. A kernel without {@code ATTACH_WQ} or {@code MSG_RING} gets independent rings or eventfd
     * wake-ups, logged once; the system properties {@value UringGroup#ATTACH_PROPERTY} and
     * {@value UringGroup#MSG_RING_PROPERTY} set to {@code false} choose those on purpose.
     *
     * @param config the configuration of every member
     * @param size   how many members, from 1 to 4096
     * @return the running group; the caller owns it and closes it
     * @throws IllegalStateException if io_uring is not available, or {@code config} is host-driven
     * @throws UncheckedIOException  if the kernel refuses a member's ring; members already opened are closed
     */
    @Override
    public AioGroup openGroup(AioConfig config, int size) {
        Objects.requireNonNull(config, "config");
        MemberGroup.checkSize(size);
        if (config.threading() == AioConfig.Threading.HOST_DRIVEN) {
            throw new IllegalStateException("a group runs a loop thread per member: open it with "
                    + "Threading.OWN_THREAD, or open host-driven instances one by one with open(config)");
        }
        Throwable cause = check.get();
        if (cause != null) {
            throw new IllegalStateException(cause.getMessage(), cause);
        }
        try {
            return UringGroup.open(config, size);
        } catch (UringException e) {
            AioException why = UringAvailability.explainOpen(e, RingSpec.of(config));
            why.initCause(e);
            throw new UncheckedIOException(why.getMessage(), why);
        }
    }
}
