/**
 * The NIO-selector adapter: {@link dev.aioops.epoll.EpollAioProvider}, found by
 * {@link dev.aioops.spi.Aio} under the name {@code "epoll"}.
 */
package dev.aioops.epoll;
