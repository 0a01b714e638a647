/**
 * The io_uring adapter: {@link dev.aioops.uring.UringAioProvider}, found by {@link dev.aioops.spi.Aio} through
 * {@link java.util.ServiceLoader} under the name {@code "uring"}.
 */
package dev.aioops.uring;
