package dev.aioops.nio2.internal;

import dev.aioops.spi.AioSocketOption;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The JDK's {@link StandardSocketOptions} as aioops {@link AioSocketOption}s: the options the JDK's asynchronous
 * socket channels support, with their values as {@code int}s.
 */
final class SocketOptions {

    /** The options of a connection, as the JDK's {@code AsynchronousSocketChannel} supports them. */
    static final Set<SocketOption<?>> CONNECTION = Set.of(StandardSocketOptions.SO_SNDBUF,
            StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_KEEPALIVE, StandardSocketOptions.SO_REUSEADDR,
            StandardSocketOptions.SO_REUSEPORT, StandardSocketOptions.TCP_NODELAY);

    /** The options of a listener, as the JDK's {@code AsynchronousServerSocketChannel} supports them. */
    static final Set<SocketOption<?>> LISTENER = Set.of(StandardSocketOptions.SO_RCVBUF,
            StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_REUSEPORT);

    private SocketOptions() {
    }

    /**
     * The aioops option of a supported JDK option.
     *
     * @throws NullPointerException          if {@code name} is null
     * @throws UnsupportedOperationException if {@code supported} lacks it, with the JDK's message
     */
    static AioSocketOption of(SocketOption<?> name, Set<SocketOption<?>> supported) {
        if (name == null) {
            throw new NullPointerException("socket option name is null");
        }
        if (!supported.contains(name)) {
            throw new UnsupportedOperationException("'" + name + "' not supported");
        }
        if (name == StandardSocketOptions.TCP_NODELAY) {
            return AioSocketOption.TCP_NODELAY;
        } else if (name == StandardSocketOptions.SO_KEEPALIVE) {
            return AioSocketOption.SO_KEEPALIVE;
        } else if (name == StandardSocketOptions.SO_RCVBUF) {
            return AioSocketOption.SO_RCVBUF;
        } else if (name == StandardSocketOptions.SO_SNDBUF) {
            return AioSocketOption.SO_SNDBUF;
        } else if (name == StandardSocketOptions.SO_REUSEADDR) {
            return AioSocketOption.SO_REUSEADDR;
        }
        return AioSocketOption.SO_REUSEPORT;
    }

    /**
     * A JDK option value as the {@code int} aioops takes.
     *
     * @throws IllegalArgumentException for a null value or a negative buffer size, as the JDK
     */
    static int encode(AioSocketOption option, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("Invalid value 'null'");
        }
        if (option.isBoolean()) {
            return (Boolean) value ? 1 : 0;
        }
        int size = (Integer) value;
        if (size < 0) {
            throw new IllegalArgumentException("Invalid send/receive buffer size");
        }
        return size;
    }

    /** An aioops {@code int} value as the JDK option's type. */
    @SuppressWarnings("unchecked")
    static <T> T decode(AioSocketOption option, int value) {
        return (T) (option.isBoolean() ? Boolean.valueOf(value != 0) : Integer.valueOf(value));
    }

    /**
     * The value a socket that is not connected yet reports for an option no one has set: what a new socket of the
     * JDK has (Linux's defaults), read once from one.
     */
    static int unsetDefault(AioSocketOption option) {
        return Defaults.VALUES.get(option);
    }

    /** Linux's defaults for a new TCP socket, read once. */
    private static final class Defaults {
        static final Map<AioSocketOption, Integer> VALUES = read();

        private static Map<AioSocketOption, Integer> read() {
            Map<AioSocketOption, Integer> m = new EnumMap<>(AioSocketOption.class);
            try (SocketChannel ch = SocketChannel.open()) {
                for (SocketOption<?> o : CONNECTION) {
                    AioSocketOption a = of(o, CONNECTION);
                    m.put(a, encode(a, ch.getOption(o)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return m;
        }
    }
}
