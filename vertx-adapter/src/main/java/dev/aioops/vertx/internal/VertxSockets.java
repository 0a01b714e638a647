package dev.aioops.vertx.internal;

import dev.aioops.linux.internal.JdkSocketOptions;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioShutdown;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.internal.SocketChecks;
import dev.aioops.uring.ring.SocketOptions;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.UnixChannel;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;

/**
 * The socket operations of the Vert.x-native mode beyond connect, accept, read and write, on the Netty channel
 * behind each {@link SocketHandle}: {@code shutdown} through Netty's {@code DuplexChannel} (loop thread), options
 * through the channel's configuration on the NIO transport ({@link NioChannelOption} of the JDK's options) or
 * {@code setsockopt(2)} on the descriptor of a native transport's channel (any thread), the peer from the channel.
 *
 * <p>A listener is a Vert.x {@code NetServer}, which shows no channel (before its first connection, none at all),
 * so options on a listener are refused with {@code EOPNOTSUPP}: this mode lacks
 * {@code AioCapability.LISTENER_SOCKET_OPTIONS}. The options a listener can take are given with the listen
 * ({@link ListenerOptions}).
 */
final class VertxSockets implements SocketCalls {

    private final HandleTable handles;

    VertxSockets(HandleTable handles) {
        this.handles = handles;
    }

    /** Loop: a shutdown; a listener is refused with {@code -ENOTCONN} as on every adapter. */
    void shutdown(VertxEngine engine, Op op) {
        switch (handles.get(op.handle)) {
            case SocketHandle s -> s.shutdown(op, (AioShutdown) op.argument);
            case DatagramHandle d -> d.shutdown(op, (AioShutdown) op.argument);
            case ListenerHandle l -> engine.complete(op, -AioErrno.ENOTCONN);
            case null -> engine.complete(op, -AioErrno.EBADF);
            default -> engine.complete(op, -AioErrno.ENOTSOCK);
        }
    }

    @Override
    public void set(int handle, AioSocketOption option, int value) throws IOException {
        SocketChecks.value(handle, option, value);
        setOn(channel(handle, option, "setSocketOption"), option, value);
    }

    /**
     * Sets an option on a connection's channel: through the channel's configuration on the NIO transport, with
     * {@code setsockopt(2)} on the descriptor of a native transport's channel. Any thread.
     *
     * @param channel the connection
     * @param option  the option
     * @param value   its checked value
     * @throws AioException with the errno of the failure
     */
    static void setOn(Channel channel, AioSocketOption option, int value) throws AioException {
        try {
            if (channel instanceof UnixChannel unix) {
                SocketOptions.set(unix.fd().intValue(), option, value);
            } else if (!channel.config().setOption(nio(option), JdkSocketOptions.value(option, value))) {
                throw new AioException(AioErrno.ENOPROTOOPT, "setSocketOption(" + option + ")");
            }
        } catch (RuntimeException e) {
            throw JdkSocketOptions.failure(e, "setSocketOption(" + option + ")");
        }
    }

    @Override
    public int get(int handle, AioSocketOption option) throws IOException {
        Objects.requireNonNull(option, "option");
        Channel channel = channel(handle, option, "socketOption");
        try {
            if (channel instanceof UnixChannel unix) {
                return SocketOptions.get(unix.fd().intValue(), option);
            }
            Object value = channel.config().getOption(nio(option));
            if (value == null) {
                throw new AioException(AioErrno.ENOPROTOOPT, "socketOption(" + handle + ", " + option + ")");
            }
            return JdkSocketOptions.fromJdk(value);
        } catch (RuntimeException e) {
            throw JdkSocketOptions.failure(e, "socketOption(" + handle + ", " + option + ")");
        }
    }

    @Override
    public SocketAddress remoteAddress(int handle) throws IOException {
        SocketAddress peer = channel(handle, null, "remoteAddress").remoteAddress();
        if (peer == null) {
            throw new AioException(AioErrno.ENOTCONN, "remoteAddress(" + handle + ")");
        }
        return toJdk(peer);
    }

    /**
     * A channel's address as the contract gives it: a native transport's Unix socket names its ends with Netty's
     * {@link DomainSocketAddress}, the contract with the JDK's {@link UnixDomainSocketAddress} (an empty path for an
     * unbound end).
     */
    static SocketAddress toJdk(SocketAddress address) {
        return address instanceof DomainSocketAddress unix
                ? UnixDomainSocketAddress.of(unix.path() == null ? "" : unix.path()) : address;
    }

    @SuppressWarnings("unchecked")
    private static ChannelOption<Object> nio(AioSocketOption option) {
        return (ChannelOption<Object>) (ChannelOption<?>) NioChannelOption.of(JdkSocketOptions.of(option));
    }

    /** The open channel of a connected socket handle, or the errno of why there is none. */
    private Channel channel(int handle, AioSocketOption option, String operation) throws AioException {
        return switch (handles.get(handle)) {
            case SocketHandle s when s.channel().isOpen() -> {
                if (s.unix && option != null) {
                    SocketChecks.onUnix(handle, option, false, operation);
                }
                yield s.channel();
            }
            case SocketHandle s -> throw new AioException(AioErrno.ENOTCONN, operation + "(" + handle + ")");
            case DatagramHandle d when d.channel().isOpen() -> {
                if (option != null) {
                    SocketChecks.onDatagram(handle, option, operation);
                }
                yield d.channel();
            }
            case DatagramHandle d -> throw new AioException(AioErrno.EBADF, operation + "(" + handle + ")");
            case ListenerHandle l -> {
                if (option == null) {
                    throw new AioException(AioErrno.ENOTCONN, operation + "(" + handle + ")");
                }
                if (l.localAddress instanceof UnixDomainSocketAddress) {
                    SocketChecks.onUnix(handle, option, true, operation);
                } else {
                    SocketChecks.onListener(handle, option, operation);
                }
                throw new AioException(AioErrno.EOPNOTSUPP, operation + "(" + handle + ") of a Vert.x listener");
            }
            case null -> throw new AioException(AioErrno.EBADF, operation + "(" + handle + ")");
            default -> throw new AioException(AioErrno.ENOTSOCK, operation + "(" + handle + ")");
        };
    }
}
