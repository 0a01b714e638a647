/**
 * The aioops contract. Libraries require this module alone; applications add an adapter module, which
 * {@link dev.aioops.spi.Aio} finds through {@link java.util.ServiceLoader}.
 */
@SuppressWarnings("module") // the qualified export names adapter modules that are built after this one
module dev.aioops.spi {
    // JFR events when the JDK has jdk.jfr (Observability checks); aioops runs without it.
    requires static transitive jdk.jfr;

    exports dev.aioops.spi;
    exports dev.aioops.spi.jfr;
    exports dev.aioops.spi.internal to dev.aioops.linux, dev.aioops.epoll, dev.aioops.uring, dev.aioops.vertx,
            dev.aioops.concurrency;

    uses dev.aioops.spi.AioProvider;
}
