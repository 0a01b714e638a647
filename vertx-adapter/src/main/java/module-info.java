/**
 * The Vert.x adapter of aioops: {@link dev.aioops.spi.AioOperations} whose completions run on a Vert.x 5
 * event-loop context, for protocol libraries hosted by a verticle. {@link dev.aioops.vertx.VertxAio} binds one
 * to a context; {@link dev.aioops.vertx.VertxAioProvider} lets {@link dev.aioops.spi.Aio} choose it.
 */
module dev.aioops.vertx {
    requires transitive dev.aioops.spi;
    requires dev.aioops.uring;
    requires dev.aioops.linux;
    requires transitive io.vertx.core;
    requires io.netty.buffer;
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.transport.classes.io_uring;
    requires io.netty.transport.unix.common;

    exports dev.aioops.vertx;

    provides dev.aioops.spi.AioProvider with dev.aioops.vertx.VertxAioProvider;
}
