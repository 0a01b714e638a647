/**
 * {@link dev.aioops.examples.resp.RedisClient} talks to a Redis server over a connection opened through
 * {@link dev.aioops.spi.AioOperations}; {@link dev.aioops.examples.resp.RespParser} decodes RESP2 incrementally
 * within {@link dev.aioops.examples.resp.RespLimits}; replies are {@link dev.aioops.examples.resp.RespValue}s,
 * Redis errors among them.
 */
package dev.aioops.examples.resp;
