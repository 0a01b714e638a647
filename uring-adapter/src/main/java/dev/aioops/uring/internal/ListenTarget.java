package dev.aioops.uring.internal;

import dev.aioops.spi.AioListenOptions;

import java.net.SocketAddress;

/**
 * What a listen binds and the options it sets first, carried as one argument to the loop.
 *
 * @param address the address to bind
 * @param options the options set before the bind
 */
record ListenTarget(SocketAddress address, AioListenOptions options) {
}
