package dev.aioops.vertx.internal;

import dev.aioops.spi.AioSocketOption;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * The synchronous socket calls of the contract for one engine ({@link VertxSockets}, {@link RingSockets}): any
 * thread, failures as an {@code AioException} with the errno, as {@code AioSocketOperations} says.
 */
public interface SocketCalls {

    /**
     * Sets a socket option.
     *
     * @param handle a handle of the engine
     * @param option the option
     * @param value  its value
     * @throws IOException an {@code AioException} with the errno
     */
    void set(int handle, AioSocketOption option, int value) throws IOException;

    /**
     * Reads a socket option.
     *
     * @param handle a handle of the engine
     * @param option the option
     * @return its value
     * @throws IOException an {@code AioException} with the errno
     */
    int get(int handle, AioSocketOption option) throws IOException;

    /**
     * The peer of a connected socket.
     *
     * @param handle a handle of the engine
     * @return the peer's address
     * @throws IOException an {@code AioException} with the errno
     */
    SocketAddress remoteAddress(int handle) throws IOException;
}
