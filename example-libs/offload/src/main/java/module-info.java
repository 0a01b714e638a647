/**
 * A library with worker threads of its own that reports finished work through an eventfd obtained from
 * {@link dev.aioops.spi.AioOperations}: the application's loop reads the eventfd and calls the library back.
 */
module dev.aioops.examples.offload {
    requires transitive dev.aioops.spi;

    exports dev.aioops.examples.offload;
}
