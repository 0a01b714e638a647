package dev.aioops.vertx.internal;

import dev.aioops.linux.internal.FileCalls;
import dev.aioops.spi.AioCapability;
import dev.aioops.spi.AioErrno;
import dev.aioops.spi.AioListenOptions;
import dev.aioops.spi.AioSocketOption;
import dev.aioops.spi.internal.SocketChecks;
import io.netty.channel.Channel;
import io.vertx.core.net.NetServerOptions;

import java.util.Set;

/**
 * The options of a listen in the Vert.x-native mode. A Vert.x server shows no socket before it is bound, so the
 * options that must precede the bind go through {@link NetServerOptions} ({@code SO_REUSEPORT},
 * {@code SO_REUSEADDR}), and those the accepted connections inherit on Linux (the receive buffer, the keep-alive
 * timers) are set on each connection as it is accepted, the same way on every Vert.x transport (Vert.x itself
 * sets the timers on its native transports only). Loop thread.
 */
final class ListenerOptions {

    private static final Set<AioCapability> OPENAT2 = FileCalls.hasOpenat2()
            ? Set.of(AioCapability.CONFINED_OPEN) : Set.of();
    private static final Set<AioCapability> OPENAT2_REUSE_PORT = FileCalls.hasOpenat2()
            ? Set.of(AioCapability.CONFINED_OPEN, AioCapability.REUSE_PORT) : Set.of(AioCapability.REUSE_PORT);

    private ListenerOptions() {
    }

    /**
     * The capabilities of the Vert.x-native mode.
     *
     * @param passesReusePort whether the transport passes {@code SO_REUSEPORT} to its sockets
     * @return {@code CONFINED_OPEN} where the kernel has {@code openat2(2)}, and {@code REUSE_PORT} if asked
     */
    static Set<AioCapability> capabilities(boolean passesReusePort) {
        return passesReusePort ? OPENAT2_REUSE_PORT : OPENAT2;
    }

    /**
     * What a listen completes with before it creates a server: {@code -EOPNOTSUPP} for an option that does not
     * apply to a Unix socket, or for {@code SO_REUSEPORT} on a transport that does not pass it on; else 0.
     *
     * @param request          the listen
     * @param passesReusePort  whether the transport passes {@code SO_REUSEPORT} to its sockets
     * @return 0 or {@code -EOPNOTSUPP}
     */
    static int refusal(ListenRequest request, boolean passesReusePort) {
        int refused = SocketChecks.listenRefusal(request.address(), request.options());
        if (refused != 0) {
            return refused;
        }
        return request.options().reusesPort() && !passesReusePort ? -AioErrno.EOPNOTSUPP : 0;
    }

    /**
     * Gives the server the options of its own socket: {@code SO_REUSEADDR} (on unless set to 0) and
     * {@code SO_REUSEPORT}.
     *
     * @param server  the server's options
     * @param options the listen's options
     */
    static void configure(NetServerOptions server, AioListenOptions options) {
        server.setReuseAddress(!options.isSet(AioSocketOption.SO_REUSEADDR)
                || options.value(AioSocketOption.SO_REUSEADDR) == 1);
        server.setReusePort(options.reusesPort());
    }

    /**
     * Sets the inherited options on a connection just accepted.
     *
     * @param connection the accepted connection's channel
     * @param options    the listen's options
     * @return {@code true} if all were set; {@code false} if the kernel refused one (the caller drops the
     *         connection, which would otherwise be served without them)
     */
    static boolean inherit(Channel connection, AioListenOptions options) {
        for (AioSocketOption option : options.options()) {
            if (option == AioSocketOption.SO_REUSEADDR || option == AioSocketOption.SO_REUSEPORT) {
                continue;
            }
            try {
                VertxSockets.setOn(connection, option, options.value(option));
            } catch (java.io.IOException refused) {
                return false;
            }
        }
        return true;
    }
}
