package dev.aioops.linux.internal;

import dev.aioops.spi.AioException;
import dev.aioops.spi.AioListenOptions;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.internal.ErrnoMapping;
import jdk.net.ExtendedSocketOptions;

import java.io.IOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.Objects;

/**
 * The contract's socket options as the JDK's ({@link StandardSocketOptions} and {@code jdk.net}'s
 * {@link ExtendedSocketOptions}), for the adapters whose sockets are Java channels: the NIO selector's, and Vert.x
 * on its NIO transport. Stateless; any thread (a channel's options are safe to set from any thread).
 */
public final class JdkSocketOptions {

    private JdkSocketOptions() {
    }

    /**
     * The JDK option of a contract option.
     *
     * @param option the contract's option
     * @return the JDK's, whose value is a {@link Boolean} or an {@link Integer}
     */
    public static SocketOption<?> of(AioSocketOption option) {
        return switch (option) {
            case TCP_NODELAY -> StandardSocketOptions.TCP_NODELAY;
            case SO_KEEPALIVE -> StandardSocketOptions.SO_KEEPALIVE;
            case TCP_KEEPIDLE -> ExtendedSocketOptions.TCP_KEEPIDLE;
            case TCP_KEEPINTVL -> ExtendedSocketOptions.TCP_KEEPINTERVAL;
            case TCP_KEEPCNT -> ExtendedSocketOptions.TCP_KEEPCOUNT;
            case SO_RCVBUF -> StandardSocketOptions.SO_RCVBUF;
            case SO_SNDBUF -> StandardSocketOptions.SO_SNDBUF;
            case SO_LINGER -> StandardSocketOptions.SO_LINGER;
            case SO_REUSEPORT -> StandardSocketOptions.SO_REUSEPORT;
            case SO_REUSEADDR -> StandardSocketOptions.SO_REUSEADDR;
        };
    }

    /**
     * The JDK value of a contract value: a {@link Boolean} for a flag, else the {@link Integer} itself (the JDK's
     * {@code SO_LINGER} also takes -1 for off).
     *
     * @param option the contract's option
     * @param value  a value checked by {@code SocketChecks}
     * @return the JDK's value
     */
    public static Object value(AioSocketOption option, int value) {
        return option.isBoolean() ? (Object) (value != 0) : (Object) value;
    }

    /**
     * The contract value of a JDK value.
     *
     * @param value a {@link Boolean} or an {@link Integer}
     * @return 1 or 0 for a flag, else the number
     */
    public static int fromJdk(Object value) {
        return switch (Objects.requireNonNull(value, "value")) {
            case Boolean b -> b ? 1 : 0;
            case Integer i -> i;
            default -> throw new IllegalArgumentException("not a socket option value: " + value);
        };
    }

    /**
     * Sets an option on a channel.
     *
     * @param channel the socket
     * @param option  the option
     * @param value   a value checked by {@code SocketChecks}
     * @throws AioException with the errno of what the JDK threw
     */
    @SuppressWarnings("unchecked")
    public static void set(NetworkChannel channel, AioSocketOption option, int value) throws AioException {
        try {
            channel.setOption((SocketOption<Object>) of(option), value(option, value));
        } catch (IOException | RuntimeException e) {
            throw failure(e, "setSocketOption " + option);
        }
    }

    /**
     * Sets every option of a listen on a channel that is not bound yet, in {@link AioListenOptions#options()}'s
     * order.
     *
     * @param channel the listening socket, before its bind
     * @param options the options
     * @throws AioException with the errno of what the JDK threw
     */
    public static void setAll(NetworkChannel channel, AioListenOptions options) throws AioException {
        for (AioSocketOption option : options.options()) {
            set(channel, option, options.value(option));
        }
    }

    /**
     * Reads an option of a channel.
     *
     * @param channel the socket
     * @param option  the option
     * @return its value
     * @throws AioException with the errno of what the JDK threw
     */
    public static int get(NetworkChannel channel, AioSocketOption option) throws AioException {
        try {
            return fromJdk(channel.getOption(of(option)));
        } catch (IOException | RuntimeException e) {
            throw failure(e, "socketOption " + option);
        }
    }

    /**
     * An exception with the errno of a JDK failure.
     *
     * @param e       what the JDK (or Netty) threw
     * @param context what was being done
     * @return the exception to throw
     */
    public static AioException failure(Throwable e, String context) {
        if (e instanceof AioException a) {
            return a;
        }
        AioException failure = new AioException(ErrnoMapping.errno(e), context);
        failure.initCause(e);
        return failure;
    }
}
