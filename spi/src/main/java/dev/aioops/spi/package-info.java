/**
 * The aioops contract: {@link dev.aioops.spi.AioOperations}, its callback {@link dev.aioops.spi.AioCompletion},
 * Linux errno values in {@link dev.aioops.spi.AioErrno}, and {@link dev.aioops.spi.Aio} to choose an adapter.
 * A protocol library depends on this package alone.
 */
package dev.aioops.spi;
