package dev.aioops.vertx.internal;

import dev.aioops.spi.AioListenOptions;

import java.net.SocketAddress;

/**
 * The arguments of a listen.
 *
 * @param address the address to bind
 * @param options the options set before the bind
 */
public record ListenRequest(SocketAddress address, AioListenOptions options) {
}
