/**
 * A Micrometer {@link io.micrometer.core.instrument.binder.MeterBinder} for aioops:
 * {@link dev.aioops.micrometer.AioMetrics} publishes an instance's or a group's {@link dev.aioops.spi.AioStats}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // micrometer-core: automatic module
module dev.aioops.micrometer {
    requires transitive dev.aioops.spi;
    requires transitive micrometer.core;

    exports dev.aioops.micrometer;
}
