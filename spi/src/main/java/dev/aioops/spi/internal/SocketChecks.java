package dev.aioops.spi.internal;

import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioListenOptions;
import dev.aioops.spi.AioSocketOption;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;

/**
 * The checks of the socket options ({@link dev.aioops.spi.AioSocketOperations}) that every adapter makes before it
 * touches the socket, so that a value out of range or an option that does not apply to a listener fails with the
 * same errno and message whatever the adapter, and whatever the JDK or Netty underneath would have said.
 */
public final class SocketChecks {

    /** Linux's {@code MAX_TCP_KEEPIDLE} and {@code MAX_TCP_KEEPINTVL}. */
    private static final int MAX_KEEPALIVE_SECONDS = 32_767;
    /** Linux's {@code MAX_TCP_KEEPCNT}. */
    private static final int MAX_KEEPALIVE_PROBES = 127;

    private SocketChecks() {
    }

    /**
     * Checks a value for {@code setSocketOption}.
     *
     * @param handle the handle, for the message
     * @param option the option
     * @param value  the value
     * @throws NullPointerException if {@code option} is null
     * @throws AioException         with {@code EINVAL} when the value is out of the option's range
     */
    public static void value(int handle, AioSocketOption option, int value) throws AioException {
        if (!inRange(Objects.requireNonNull(option, "option"), value)) {
            throw new AioException(AioErrno.EINVAL, "setSocketOption(" + handle + ", " + option + ", " + value
                    + ")");
        }
    }

    /**
     * Whether a value is in an option's range: 0 or 1 for a flag, 1 to 32767 seconds for the keep-alive times, 1 to
     * 127 probes, a size {@code >= 0}, a linger of -1 (off) or more.
     *
     * @param option the option
     * @param value  the value
     * @return {@code true} if valid
     */
    public static boolean inRange(AioSocketOption option, int value) {
        return switch (option) {
            case TCP_NODELAY, SO_KEEPALIVE, SO_REUSEPORT, SO_REUSEADDR -> value == 0 || value == 1;
            case TCP_KEEPIDLE, TCP_KEEPINTVL -> value >= 1 && value <= MAX_KEEPALIVE_SECONDS;
            case TCP_KEEPCNT -> value >= 1 && value <= MAX_KEEPALIVE_PROBES;
            case SO_RCVBUF, SO_SNDBUF -> value >= 0;
            case SO_LINGER -> value >= -1;
        };
    }

    /**
     * What a listen with options must complete with before it creates a socket: {@code -EOPNOTSUPP} when an option
     * set does not apply to a Unix domain socket (only {@code SO_RCVBUF} does on a Unix listener), as
     * {@code setSocketOption} refuses it, else 0.
     *
     * @param address the address to listen on
     * @param options the options
     * @return 0, or {@code -EOPNOTSUPP}
     */
    public static int listenRefusal(SocketAddress address, AioListenOptions options) {
        if (address instanceof UnixDomainSocketAddress) {
            for (AioSocketOption o : options.options()) {
                if (!o.appliesToUnixSocket()) {
                    return -AioErrno.EOPNOTSUPP;
                }
            }
        }
        return 0;
    }

    /**
     * Whether a TCP listener gets {@code SO_REUSEADDR} 1 before its bind: always, unless the options set it.
     *
     * @param address the address to listen on
     * @param options the options
     * @return {@code true} to set it
     */
    public static boolean defaultReuseAddress(SocketAddress address, AioListenOptions options) {
        return !(address instanceof UnixDomainSocketAddress) && !options.isSet(AioSocketOption.SO_REUSEADDR);
    }

    /**
     * Checks that an option applies to a listening socket.
     *
     * @param handle    the handle, for the message
     * @param option    the option
     * @param operation the method's name, for the message
     * @throws AioException with {@code ENOPROTOOPT} when it does not
     */
    public static void onListener(int handle, AioSocketOption option, String operation) throws AioException {
        if (!option.appliesToListener()) {
            throw new AioException(AioErrno.ENOPROTOOPT, operation + "(" + handle + ", " + option
                    + ") on a listening socket");
        }
    }

    /**
     * Checks that an option applies to a Unix domain socket ({@link AioSocketOption#appliesToUnixSocket()}), and,
     * on a listener, to a listener as well.
     *
     * @param handle    the handle, for the message
     * @param option    the option
     * @param listener  whether the socket is listening
     * @param operation the method's name, for the message
     * @throws AioException with {@code EOPNOTSUPP} when it does not apply to a Unix socket, {@code ENOPROTOOPT}
     *                      when it applies to one but not to a listener
     */
    public static void onUnix(int handle, AioSocketOption option, boolean listener, String operation)
            throws AioException {
        if (!option.appliesToUnixSocket()) {
            throw new AioException(AioErrno.EOPNOTSUPP, operation + "(" + handle + ", " + option
                    + ") on a Unix domain socket");
        }
        if (listener) {
            onListener(handle, option, operation);
        }
    }

    /**
     * Checks that an option applies to a datagram socket.
     *
     * @param handle    the handle, for the message
     * @param option    the option
     * @param operation the method's name, for the message
     * @throws AioException with {@code ENOPROTOOPT} when it does not
     */
    public static void onDatagram(int handle, AioSocketOption option, String operation) throws AioException {
        if (!option.appliesToDatagram()) {
            throw new AioException(AioErrno.ENOPROTOOPT, operation + "(" + handle + ", " + option
                    + ") on a datagram socket");
        }
    }
}
