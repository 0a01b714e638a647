/**
 * aioops on Vert.x 5: {@link dev.aioops.vertx.VertxAio} gives a verticle an
 * {@link dev.aioops.spi.AioOperations} bound to its context, {@link dev.aioops.vertx.VertxAioFutures} offers
 * the same operations as Vert.x futures, and {@link dev.aioops.vertx.VertxAioProvider} is the adapter's
 * service-loader entry (name {@code "vertx"}).
 */
package dev.aioops.vertx;
