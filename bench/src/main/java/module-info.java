/** The aioops benchmark suite and JMH benchmarks; an application, not a library. */
@SuppressWarnings("requires-automatic") // jmh-core and xchart ship no module descriptor
module dev.aioops.bench {
    requires dev.aioops.spi;
    requires dev.aioops.vthreads;
    requires dev.aioops.examples.checksum;
    requires dev.aioops.nio2;
    requires dev.aioops.examples.resp;
    requires dev.aioops.examples.http;
    requires io.vertx.core;
    requires dev.aioops.vertx;
    requires dev.aioops.fixtures;
    requires lettuce.core;
    requires jmh.core;
    requires org.knowm.xchart;
    requires java.desktop;
    requires java.management;
    requires jdk.unsupported;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.classes.io_uring;
}
