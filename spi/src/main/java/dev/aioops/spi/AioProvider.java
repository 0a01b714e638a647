package dev.aioops.spi;

import dev.aioops.spi.internal.MemberGroup;

import java.util.Objects;

/**
 * A way of performing {@link AioOperations}, found with {@link java.util.ServiceLoader}: an adapter module
 * {@code provides dev.aioops.spi.AioProvider with ...} (and lists itself in
 * {@code META-INF/services/dev.aioops.spi.AioProvider} for the class path). {@link Aio#open()} picks one.
 *
 * <p>Implementations are thread-safe, cheap to construct, and must not fail in their constructor: a provider
 * whose mechanism is missing reports it through {@link #isAvailable()} and {@link #unavailabilityCause()}.
 */
public interface AioProvider {

    /**
     * The adapter's short name, used by the {@code aioops.adapter} system property: {@code "uring"},
     * {@code "epoll"}, {@code "vertx"}.
     *
     * @return the name, lower case, never null
     */
    String name();

    /**
     * How strongly {@link Aio#open()} prefers this adapter when none is named: the available provider with the
     * highest priority wins (uring 300, epoll 200, vertx 100).
     *
     * @return the priority
     */
    int priority();

    /**
     * Whether this adapter works in this process: the kernel interface exists, is permitted, and the JVM grants
     * what it needs. Checked once and remembered.
     *
     * @return {@code true} if {@link #open(AioConfig)} can succeed
     */
    boolean isAvailable();

    /**
     * Why this adapter is not available, in words a user can act on (for io_uring: blocked by a seccomp
     * profile, disabled by {@code kernel.io_uring_disabled}, the memlock limit, a kernel too old).
     *
     * @return the cause, or {@code null} when {@link #isAvailable()} is {@code true}
     */
    Throwable unavailabilityCause();

    /**
     * Opens a new, independent instance.
     *
     * @param config the configuration
     * @return a running instance (its loop thread started, unless host-driven)
     * @throws NullPointerException  if {@code config} is null
     * @throws IllegalStateException if this adapter is not available; its cause says why
     * @throws java.io.UncheckedIOException if the operating system refuses the resources (rings, threads)
     */
    AioOperations open(AioConfig config);

    /**
     * Opens a group of {@code size} new instances from one configuration ({@link AioGroup}). Each member's loop
     * thread is named after {@link AioConfig#threadName()} with {@code -<index>} appended, when a name is set.
     * The default opens independent members one after the other; an adapter overrides it to share what its
     * members can share (io_uring: kernel workers and ring-to-ring wake-ups) and says so in its javadoc.
     *
     * @param config the configuration of every member
     * @param size   how many members, from 1 to 4096
     * @return the running group; the caller owns it and closes it
     * @throws NullPointerException     if {@code config} is null
     * @throws IllegalArgumentException if {@code size} is out of range
     * @throws IllegalStateException    if this adapter is not available, or {@code config} asks for
     *                                  {@link AioConfig.Threading#HOST_DRIVEN} (a group runs its own loops)
     * @throws java.io.UncheckedIOException if the operating system refuses the resources; members already opened
     *                                  are closed again
     */
    default AioGroup openGroup(AioConfig config, int size) {
        Objects.requireNonNull(config, "config");
        MemberGroup.checkSize(size);
        if (config.threading() == AioConfig.Threading.HOST_DRIVEN) {
            throw new IllegalStateException("a group runs a loop thread per member: open it with "
                    + "Threading.OWN_THREAD, or open host-driven instances one by one with open(config)");
        }
        return new MemberGroup(MemberGroup.openMembers(size,
                i -> open(MemberGroup.memberConfig(config, i))));
    }
}
