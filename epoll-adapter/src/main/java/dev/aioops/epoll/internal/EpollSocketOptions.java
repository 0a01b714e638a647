package dev.aioops.epoll.internal;

import dev.aioops.linux.internal.JdkSocketOptions;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioException;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.internal.SocketChecks;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * The synchronous socket calls of the contract on Java channels: options through {@code setOption} and
 * {@code getOption} ({@link JdkSocketOptions}), the peer through {@code getRemoteAddress}. Any thread: the handle
 * table may be read by any thread, and a channel's options and addresses are safe to use from any thread.
 */
final class EpollSocketOptions {

    private final HandleTable handles;

    EpollSocketOptions(HandleTable handles) {
        this.handles = handles;
    }

    void set(int handle, AioSocketOption option, int value) throws IOException {
        SocketChecks.value(handle, option, value);
        switch (handles.get(handle)) {
            case SocketResource s -> {
                if (s.unix) {
                    SocketChecks.onUnix(handle, option, false, "setSocketOption");
                }
                JdkSocketOptions.set(s.channel, option, value);
            }
            case ListenResource l -> {
                onListener(handle, option, l, "setSocketOption");
                JdkSocketOptions.set(l.channel, option, value);
            }
            case DatagramResource d -> {
                SocketChecks.onDatagram(handle, option, "setSocketOption");
                JdkSocketOptions.set(d.channel, option, value);
            }
            case null -> throw new AioException(AioErrno.EBADF, "setSocketOption of handle " + handle);
            default -> throw new AioException(AioErrno.ENOTSOCK, "setSocketOption of handle " + handle);
        }
    }

    int get(int handle, AioSocketOption option) throws IOException {
        java.util.Objects.requireNonNull(option, "option");
        return switch (handles.get(handle)) {
            case SocketResource s -> {
                if (s.unix) {
                    SocketChecks.onUnix(handle, option, false, "socketOption");
                }
                yield JdkSocketOptions.get(s.channel, option);
            }
            case ListenResource l -> {
                onListener(handle, option, l, "socketOption");
                yield JdkSocketOptions.get(l.channel, option);
            }
            case DatagramResource d -> {
                SocketChecks.onDatagram(handle, option, "socketOption");
                yield JdkSocketOptions.get(d.channel, option);
            }
            case null -> throw new AioException(AioErrno.EBADF, "socketOption of handle " + handle);
            default -> throw new AioException(AioErrno.ENOTSOCK, "socketOption of handle " + handle);
        };
    }

    private static void onListener(int handle, AioSocketOption option, ListenResource l, String operation)
            throws AioException {
        if (l.unix) {
            SocketChecks.onUnix(handle, option, true, operation);
        } else {
            SocketChecks.onListener(handle, option, operation);
        }
    }

    SocketAddress remoteAddress(int handle) throws IOException {
        SocketAddress peer = switch (handles.get(handle)) {
            case SocketResource s -> remote(s);
            case ListenResource l -> null;
            case DatagramResource d -> remote(d);
            case null -> throw new AioException(AioErrno.EBADF, "remoteAddress of handle " + handle);
            default -> throw new AioException(AioErrno.ENOTSOCK, "remoteAddress of handle " + handle);
        };
        if (peer == null) {
            throw new AioException(AioErrno.ENOTCONN, "remoteAddress of handle " + handle);
        }
        return peer;
    }

    private static SocketAddress remote(DatagramResource d) throws AioException {
        try {
            return d.channel.getRemoteAddress();
        } catch (IOException | RuntimeException e) {
            throw JdkSocketOptions.failure(e, "remoteAddress");
        }
    }

    private static SocketAddress remote(SocketResource s) throws AioException {
        try {
            return s.channel.getRemoteAddress();
        } catch (IOException | RuntimeException e) {
            throw JdkSocketOptions.failure(e, "remoteAddress");
        }
    }
}
