package dev.aioops.spi;

import dev.aioops.spi.internal.SocketChecks;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * The socket options a listener gets before it is bound, for
 * {@link AioSocketOperations#listen(java.net.SocketAddress, int, AioListenOptions, Object, AioCompletion)}: what
 * Netty's {@code ServerBootstrap.option(...)} and Vert.x's {@code NetServerOptions.setReusePort(...)} configure.
 * Some options only work when set before {@code bind(2)}: {@link AioSocketOption#SO_REUSEPORT} above all, which
 * lets several listeners of the process (one per loop of an {@link AioGroup}) bind one port so that the kernel
 * spreads the connections over them.
 *
 * <p>Immutable and thread-safe: {@link #with} returns a copy. Only the options of a listener
 * ({@link AioSocketOption#appliesToListener()}) are accepted, with values in their range, so that misuse
 * throws here, at once, rather than failing a listen later. The connections a listener accepts inherit
 * {@link AioSocketOption#SO_RCVBUF} and the keep-alive timers from it, as on Linux.
 *
 * <p>An option left unset keeps what {@code listen} has always done: a TCP listener gets
 * {@link AioSocketOption#SO_REUSEADDR} (set it to 0 to bind without), everything else the kernel's default.
 *
 * <pre>{@code
 * AioListenOptions options = AioListenOptions.reusePort().with(AioSocketOption.SO_RCVBUF, 256 * 1024);
 * ops.listen(new InetSocketAddress(8080), 1024, options, null, (handle, a) -> ...);
 * }</pre>
 */
public final class AioListenOptions {

    private static final AioSocketOption[] OPTIONS = AioSocketOption.values();
    private static final AioListenOptions DEFAULTS = new AioListenOptions(0, new int[OPTIONS.length]);

    /** Bit {@code ordinal} set when that option is set. */
    private final int set;
    /** The values, indexed by ordinal; 0 where unset. */
    private final int[] values;

    private AioListenOptions(int set, int[] values) {
        this.set = set;
        this.values = values;
    }

    /**
     * No option set: a listen with these behaves as
     * {@link AioOperations#listen(java.net.SocketAddress, int, Object, AioCompletion)}.
     *
     * @return the shared empty options
     */
    public static AioListenOptions defaults() {
        return DEFAULTS;
    }

    /**
     * {@link AioSocketOption#SO_REUSEPORT} on: the options of one of several listeners sharing a port.
     *
     * @return options with {@code SO_REUSEPORT} 1
     */
    public static AioListenOptions reusePort() {
        return DEFAULTS.with(AioSocketOption.SO_REUSEPORT, 1);
    }

    /**
     * A copy with one option set (replacing an earlier value of the same option).
     *
     * @param option a listener's option
     * @param value  its value, as {@link AioSocketOperations#setSocketOption} takes it: 1 or 0 for a flag, bytes for
     *               {@link AioSocketOption#SO_RCVBUF}, seconds or a count for the keep-alive timers
     * @return the new options
     * @throws NullPointerException     if {@code option} is null
     * @throws IllegalArgumentException if {@code option} does not apply to a listener (such as
     *                                  {@link AioSocketOption#TCP_NODELAY}, which belongs to a connection), or
     *                                  {@code value} is out of its range
     */
    public AioListenOptions with(AioSocketOption option, int value) {
        Objects.requireNonNull(option, "option");
        if (!option.appliesToListener()) {
            throw new IllegalArgumentException(option + " does not apply to a listening socket; a listener takes "
                    + "SO_REUSEPORT, SO_REUSEADDR, SO_RCVBUF and the keep-alive timers (set the others on each "
                    + "accepted connection with setSocketOption)");
        }
        if (!SocketChecks.inRange(option, value)) {
            throw new IllegalArgumentException("value " + value + " is out of range for " + option);
        }
        int[] copy = values.clone();
        copy[option.ordinal()] = value;
        return new AioListenOptions(set | (1 << option.ordinal()), copy);
    }

    /**
     * Whether an option is set.
     *
     * @param option the option
     * @return {@code true} if {@link #with} set it
     * @throws NullPointerException if {@code option} is null
     */
    public boolean isSet(AioSocketOption option) {
        return (set & (1 << Objects.requireNonNull(option, "option").ordinal())) != 0;
    }

    /**
     * The value of an option.
     *
     * @param option the option
     * @return its value
     * @throws NullPointerException     if {@code option} is null
     * @throws IllegalArgumentException if it is not set ({@link #isSet})
     */
    public int value(AioSocketOption option) {
        if (!isSet(option)) {
            throw new IllegalArgumentException(option + " is not set; ask isSet first");
        }
        return values[option.ordinal()];
    }

    /**
     * The options set, in the enum's order: the order in which adapters apply them.
     *
     * @return an unmodifiable set
     */
    public Set<AioSocketOption> options() {
        EnumSet<AioSocketOption> result = EnumSet.noneOf(AioSocketOption.class);
        for (AioSocketOption o : OPTIONS) {
            if (isSet(o)) {
                result.add(o);
            }
        }
        return Collections.unmodifiableSet(result);
    }

    /**
     * Whether no option is set.
     *
     * @return {@code true} for {@link #defaults()}
     */
    public boolean isEmpty() {
        return set == 0;
    }

    /**
     * Whether {@link AioSocketOption#SO_REUSEPORT} is set to 1.
     *
     * @return {@code true} if the listener shares its port
     */
    public boolean reusesPort() {
        return isSet(AioSocketOption.SO_REUSEPORT) && value(AioSocketOption.SO_REUSEPORT) == 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AioListenOptions other && other.set == set
                && java.util.Arrays.equals(other.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * set + java.util.Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("AioListenOptions{");
        String separator = "";
        for (AioSocketOption o : options()) {
            s.append(separator).append(o).append('=').append(values[o.ordinal()]);
            separator = ", ";
        }
        return s.append('}').toString();
    }
}
